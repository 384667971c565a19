"""Home-page tasks of the branch meeting: what the branch (or the town office) should do next."""

from __future__ import annotations

from django.urls import reverse

from apps.core.tasks import Task, task_provider

from .progress import branch_step


@task_provider
def meeting_tasks(user, campaign):
    if campaign is None or not user.is_branch_secretary or not user.organization_id:
        return
    step = branch_step(campaign, user.organization)
    if step.done:
        return
    yield Task(
        step.title, step.detail, reverse("meetings:branch_meeting", args=[campaign.pk, user.organization_id]), level="todo", order=10
    )
