"""Audit action codes of supervision visits and their rectification items."""

from django.db import models


class OversightAudit(models.TextChoices):
    VISIT_CREATE = "visit.create", "登记督促检查"
    RECTIFICATION_CREATE = "rectification.create", "新增整改事项"
    RECTIFICATION_CLOSE = "rectification.close", "整改事项销号"
