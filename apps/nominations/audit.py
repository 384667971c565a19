"""Audit action codes of the branch proposal, submission, reopening, town review and the 参评名单."""

from django.db import models


class NominationAudit(models.TextChoices):
    PROPOSAL_CREATE = "proposal.create", "支委会确定推荐对象"
    PROPOSAL_UPDATE = "proposal.update", "修改支部推荐"
    PROPOSAL_SUBMIT = "proposal.submit", "报送镇党委"
    NOMINATION_CORRECT = "nomination.correct", "修改推荐对象申报材料"
    BRANCH_REOPEN = "reopening.create", "准予支部延期报送"
    NOMINATION_APPROVE = "nomination.approve", "镇党委审批同意"
    NOMINATION_RETURN = "nomination.return", "镇党委退回推荐对象"
    COUNTY_LIST = "nomination.county_list", "报送县委组织部参评名单"
