"""Audit action codes of organizations, members and appraisals."""

from django.db import models


class OrgAudit(models.TextChoices):
    MEMBER_CREATE = "member.create", "新增党员"
    MEMBER_UPDATE = "member.update", "修改党员信息"
    MEMBER_TRANSFER = "member.transfer", "组织关系/状态变更"
    MEMBER_REVEAL = "member.reveal", "查看完整身份信息"
    APPRAISAL_CREATE = "appraisal.create", "录入民主评议"
    APPRAISAL_UPDATE = "appraisal.update", "修改民主评议"
    ORG_CREATE = "org.create", "新建党组织"
    ORG_UPDATE = "org.update", "修改党组织"
