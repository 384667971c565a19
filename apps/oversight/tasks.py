"""Home-page tasks from the progress board: overdue branches for the town, the branch's own step."""

from __future__ import annotations

from django.urls import reverse

from apps.core.tasks import Task, task_provider

from .progress import load_rows, summary


@task_provider(live=True)  # reminders are written by send_reminders and read by their user: no audit row
def notification_tasks(user, campaign):
    from .models import unread_count

    unread = unread_count(user)
    if unread:
        yield Task(
            f"{unread} 条未读提醒", "截止临近、退回、异议、待审批或整改逾期。", reverse("oversight:notifications"), level="urgent", order=2
        )


@task_provider
def progress_tasks(user, campaign):
    if campaign is None or user.is_inspector or user.is_county_reviewer:
        return
    rows = load_rows(user, [campaign], villages=False, cells=False)
    url = reverse("oversight:board", args=[campaign.pk])
    if user.is_branch_secretary:
        for row in rows:
            p = row.progress
            level = "urgent" if p.overdue else "info"
            detail = f"下一步：{p.next}" + ("。已过申报截止日期，尚未报送" if p.overdue else "")
            yield Task(f"本支部当前环节：{p.label}", detail, url, level=level, order=10)
            if row.facts and row.facts.open_rectifications:
                yield Task(
                    f"督促检查整改事项 {row.facts.open_rectifications} 项未销号",
                    "按期完成整改并报送整改情况。",
                    url,
                    level="urgent",
                    order=11,
                )
        return
    numbers = summary(rows)
    if numbers["overdue"]:
        yield Task(
            f"{numbers['overdue']} 个支部逾期未报送",
            "已过申报截止日期，既未报送也未准予延期。",
            reverse("oversight:board", args=[campaign.pk]) + "?status=overdue",
            level="urgent",
            order=5,
        )
    yield Task(
        "示范行动进度",
        f"{numbers['branches']} 个支部，已报送 {numbers['submitted']} 个，未报送 {numbers['not_submitted']} 个。",
        url,
        level="info",
        order=60,
    )
