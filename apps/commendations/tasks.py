"""Home-page task of the commendation: due once the notices have ended and the objections are concluded."""

from __future__ import annotations

from django.urls import reverse

from apps.core.tasks import Task, task_provider
from apps.notices.models import Notice

from .actions import commend_blockers, commendable
from .models import Commendation


@task_provider
def commendation_tasks(user, campaign):
    if campaign is None or not (user.may_approve or user.manages_town):
        return
    if not Notice.objects.filter(campaign=campaign).exists():
        return
    url = reverse("commendations:results", args=[campaign.pk])
    decision = Commendation.objects.filter(campaign=campaign).first()
    if decision is not None:
        yield Task(f"已作出表彰决定（{decision.doc_number}）", "表彰名单与证书编号。", url, level="done", order=90)
        return
    if commend_blockers(user, campaign):
        return
    count = commendable(campaign).count()
    yield Task(
        f"作出表彰决定（{count} 人）",
        "公示期满，异议均已办结：填写文号和日期，编号证书。" if user.may_approve else "等待镇党委审批人员作出表彰决定。",
        url,
        level="todo" if user.may_approve else "info",
        order=70,
    )
