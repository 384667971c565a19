"""Home-page tasks of the 公示: a notice to post, a notice running, objections to conclude."""

from __future__ import annotations

from django.urls import reverse

from apps.core.tasks import Task, task_provider

from .actions import pending_nominations
from .choices import ObjectionStatus
from .models import Notice, Objection


@task_provider
def branch_notice_tasks(user, campaign):
    """A branch secretary sees when its nominees are on a running notice."""
    if campaign is None or not user.is_branch_secretary or not user.organization_id:
        return
    for notice in Notice.objects.filter(campaign=campaign, nominations__org_id=user.organization_id).distinct():
        if notice.is_running():
            yield Task(
                f"本支部推荐对象正在公示（剩 {notice.days_left()} 天）",
                f"{notice.start:%Y年%m月%d日}至{notice.end:%Y年%m月%d日}；公示期满、异议办结后由镇党委表彰。",
                notice.public_path(),
                due=notice.end,
                level="info",
                order=61,
            )


@task_provider
def notice_tasks(user, campaign):
    if campaign is None or not user.manages_town:
        return
    pending = pending_nominations(campaign).count()
    if pending:
        yield Task(
            f"发布示范岗公示（{pending} 人待公示）",
            f"参评名单已形成：发布 {campaign.notice_days} 个{campaign.get_notice_day_kind_display()}的公示。",
            reverse("notices:notice_list", args=[campaign.pk]),
            level="todo",
            order=60,
        )
    for notice in Notice.objects.filter(campaign=campaign):
        if notice.is_running():
            yield Task(
                f"公示进行中：剩 {notice.days_left()} 天",
                f"{notice.start:%Y年%m月%d日}至{notice.end:%Y年%m月%d日}",
                notice.get_absolute_url(),
                due=notice.end,
                level="info",
                order=61,
            )
    open_count = Objection.objects.filter(notice__campaign=campaign, status=ObjectionStatus.OPEN).count()
    if open_count:
        yield Task(
            f"办结公示异议（{open_count} 件未办结）",
            "逐件调查核实并办结；异议未办结前不能表彰。",
            reverse("notices:objection_list", args=[campaign.pk]),
            level="urgent",
            order=62,
        )
