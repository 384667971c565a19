"""Audit action codes of the 示范村 procedure."""

from django.db import models


class VillageAudit(models.TextChoices):
    DESIGNATE = "village.designate", "确定示范村候选村"
    GROUP_FORM = "village.group_form", "组建党建调研督查组"
    INSPECTION_SAVE = "village.inspection_save", "保存示范村考察记录"
    EVIDENCE_UPLOAD = "village.evidence_upload", "上传考察佐证材料"
    EVIDENCE_DELETE = "village.evidence_delete", "删除考察佐证材料"
    WITHDRAW = "village.withdraw", "撤销示范村候选"
    INSPECTION_FINALIZE = "village.inspection_finalize", "考察报告定稿"
    INSPECTION_REOPEN = "village.inspection_reopen", "退回考察报告重新修改"
    REPORT = "village.report", "报送县委组织部示范村名单"
    COUNTY_DECIDE = "village.county_decide", "县委组织部审定示范村"
    PLAQUE = "village.plaque", "登记示范村授牌"
    SCALE = "village.scale", "设置示范村考察评分标准"
    REVOKE = "plaque.revoke", "摘牌"
    REVIEW = "plaque.review", "牌匾年度复查"
    FOLLOW_UP = "plaque.follow_up", "牌匾限期整改复查结论"
    SELF_ASSESS = "village.self_assess", "村党组织提交示范村自评"
