"""Home-page tasks about the roster: appraisals to record, the branch's quota."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from apps.core.tasks import Task, task_provider

from .models import Member


@task_provider
def roster_tasks(user, campaign):
    if campaign is None or not user.manages_members:
        return
    members = Member.objects.visible_to(user).active()
    year = campaign.appraisal_year
    missing = members.exclude(appraisals__year=year).count()
    if missing:
        if user.is_branch_secretary:
            url = reverse("orgs:appraisal_sheet") + "?" + urlencode({"branch": user.organization_id, "year": year})
        else:
            url = reverse("orgs:member_list") + "?" + urlencode({"status": "active", "appraisal": "missing", "year": year})
        yield Task(
            f"录入 {missing} 名党员的 {year} 年度民主评议结果",
            "示范岗候选人须评议为“合格”及以上；未录入的须由支部确认。",
            url,
            level="todo",
            order=10,
        )
    if user.is_branch_secretary:
        yield Task(
            "核对本支部党员名册",
            "召开支部党员大会前，确认正式党员、预备党员和请假人员。",
            reverse("orgs:member_list"),
            level="todo",
            order=15,
        )
