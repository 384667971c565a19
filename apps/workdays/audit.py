"""Audit action codes of the holiday table."""

from django.db import models


class WorkdaysAudit(models.TextChoices):
    DAY_CREATE = "workday.create", "录入节假日调整"
    DAY_DELETE = "workday.delete", "删除节假日调整"
