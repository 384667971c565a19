"""Home-page tasks about the campaign's own set-up."""

from __future__ import annotations

from django.urls import reverse

from apps.core import clock
from apps.core.tasks import Task, task_provider
from apps.orgs.models import Member, Organization


@task_provider
def campaign_tasks(user, campaign):
    if user.is_county_reviewer:
        yield Task("查看各镇示范行动进展", "各镇的实施方案、名额与申报情况。", reverse("campaigns:campaign_list"), level="info")
        return
    if campaign is None:
        if user.manages_town and not user.is_admin_role:
            yield Task(
                "创建本年度“共产党员示范行动”",
                "填写实施方案中的名额比例、截止日期、公示天数和联系方式。",
                reverse("campaigns:campaign_create"),
                level="urgent",
                order=0,
            )
        return
    if user.manages_town:
        missing = campaign.missing_blanks()
        if missing:
            yield Task(
                "完善实施方案的空白项",
                "尚未填写：" + "、".join(missing),
                reverse("campaigns:campaign_edit", args=[campaign.pk]),
                level="urgent",
                order=1,
            )
    if user.manages_town or user.is_branch_secretary or user.may_approve:
        days = (campaign.deadline - clock.today()).days
        when = f"剩 {days} 天" if days >= 0 else f"已过 {-days} 天"
        yield Task(
            f"示范岗申报截止：{campaign.deadline:%Y年%m月%d日}（{when}）",
            f"申报表纸质版（盖公章）报至{campaign.office_name}"
            + (f"，联系人 {campaign.office_contact}" if campaign.office_contact else "")
            + (f"，电话 {campaign.office_phone}" if campaign.office_phone else ""),
            reverse("campaigns:campaign_quotas", args=[campaign.pk]),
            due=campaign.deadline,
            level="info",
            order=50,
        )
    if user.is_branch_secretary and user.organization_id:
        branch = Organization.objects.get(pk=user.organization_id)
        formal = Member.objects.under(branch).formal().count()
        quota = campaign.post_quota(formal)
        yield Task(
            f"本支部示范岗名额：{quota.value} 人",
            quota.explain(),
            reverse("campaigns:campaign_quotas", args=[campaign.pk]),
            level="info",
            order=20,
        )
