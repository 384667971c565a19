"""Audit action codes of supervision visits and their rectification items."""

from django.db import models


class OversightAudit(models.TextChoices):
    VISIT_CREATE = "visit.create", "登记督促检查"
    RECTIFICATION_CREATE = "rectification.create", "新增整改事项"
    RECTIFICATION_CLOSE = "rectification.close", "整改事项销号"
    ASSESSMENT_ITEM_SAVE = "assessment.item_save", "设置考核项目"
    ASSESSMENT_ITEM_DELETE = "assessment.item_delete", "删除考核项目"
    ASSESSMENT_SCORE = "assessment.score", "人工评分"
