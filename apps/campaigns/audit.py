"""Audit action codes of campaigns and their criteria."""

from django.db import models


class CampaignAudit(models.TextChoices):
    CAMPAIGN_CREATE = "campaign.create", "创建示范行动"
    CAMPAIGN_UPDATE = "campaign.update", "修改实施方案设置"
    CRITERION_CREATE = "criterion.create", "新增创建标准"
    CRITERION_UPDATE = "criterion.update", "修改创建标准"
    CRITERION_DELETE = "criterion.delete", "删除创建标准"
