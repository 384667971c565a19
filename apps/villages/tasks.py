"""Home-page tasks of the 示范村 procedure: assign villages to a group, inspect, report, decide."""

from __future__ import annotations

from django.urls import reverse

from apps.campaigns.live_quotas import village_quota
from apps.core.tasks import Task, task_provider

from .choices import OPEN_STATUSES, VillageStatus
from .models import VillageCandidate


@task_provider
def village_tasks(user, campaign):
    if user.is_county_reviewer:
        pending = VillageCandidate.objects.visible_to(user).filter(status=VillageStatus.REPORTED).count()
        if pending:
            yield Task(
                f"审定示范村（{pending} 个待审定）", "各镇报送的示范村考察报告和佐证材料。", reverse("villages:villages_current"), order=20
            )
        return
    if campaign is None:
        return
    url = reverse("villages:campaign_villages", args=[campaign.pk])
    mine = VillageCandidate.objects.visible_to(user).filter(campaign=campaign)
    if user.is_inspector:
        todo = mine.filter(status__in=OPEN_STATUSES).count()
        if todo:
            yield Task(
                f"示范村考察（{todo} 个村待定稿）", "对照五项标准填写考察情况、得分、结论，上传照片等佐证材料后定稿。", url, order=10
            )
        elif not mine.exists():
            yield Task("等待镇党委确定示范村候选对象", "候选村确定后，这里将列出分配给您所在督查组的考察任务。", url, level="info")
        return
    if user.manages_town:
        if not mine.exists():
            yield Task("确定示范村候选对象", f"示范村名额：{village_quota(campaign).explain()}", url, level="todo", order=30)
        unassigned = mine.filter(group__isnull=True).count()
        if unassigned:
            yield Task(f"为 {unassigned} 个示范村候选村分配督查组", "组建党建调研督查组并分配考察村。", url, order=31)
        ready = mine.filter(status=VillageStatus.FINALIZED, inspection__conclusion="recommend").count()
        if ready:
            yield Task(f"报送县委组织部（{ready} 个示范村）", "考察报告已定稿、督查组建议命名的村。", url, order=32)


@task_provider
def plaque_review_tasks(user, campaign):
    """The town office's yearly re-review of its town's plaques, and 限期整改 whose due date has passed."""
    if not user.is_town_office:
        return
    from . import registry

    url = reverse("villages:plaque_registry")
    due = registry.due_count(user)
    if due:
        yield Task(
            f"{due} 块牌匾待年度复查",
            "往年授予的示范村牌匾、示范岗荣誉证书每年复查一次：记录复查情况和结论（保留 / 限期整改 / 摘牌）。",
            f"{url}?due=1",
            order=40,
        )
    overdue = registry.rectifications_past_due(user)
    if overdue:
        yield Task(
            f"{len(overdue)} 块牌匾整改期满，待记录整改复查结论",
            "整改到位的保留，不到位的摘牌。",
            overdue[0].get_absolute_url() if len(overdue) == 1 else url,
            due=overdue[0].due_date,
            order=41,
        )
