"""Audit action codes of roster imports and exports."""

from django.db import models


class RosterAudit(models.TextChoices):
    IMPORT = "roster.import", "导入党员花名册"
    IMPORT_APPRAISALS = "roster.import_appraisals", "导入民主评议结果"
    EXPORT_FULL = "roster.export_full", "导出完整身份信息"
