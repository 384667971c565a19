"""Home-page tasks of the branch meeting: the secretary's next step; the town office's overview."""

from __future__ import annotations

from collections import Counter

from django.urls import reverse

from apps.core.tasks import Task, task_provider
from apps.orgs.models import Organization

from .choices import MeetingStatus
from .models import Meeting
from .progress import branch_step


@task_provider
def meeting_tasks(user, campaign):
    if campaign is None:
        return
    if user.is_branch_secretary and user.organization_id:
        step = branch_step(campaign, user.organization)
        if not step.done:
            detail = step.detail + ("暂不能进行：" + "；".join(step.blockers) if step.blockers else "")
            url = reverse("meetings:branch_meeting", args=[campaign.pk, user.organization_id])
            yield Task(step.title, detail, url, due=campaign.deadline, level="todo", order=10)
    elif user.is_town_office:
        branches = Organization.objects.filter(path__startswith=campaign.town.path, is_active=True).basic().count()
        states = Counter(Meeting.objects.filter(campaign=campaign).exclude(status=MeetingStatus.CANCELLED).values_list("status", flat=True))
        concluded = states[MeetingStatus.CONCLUDED]
        if branches and concluded < branches:
            yield Task(
                f"支部党员大会：{concluded} / {branches} 个基层党组织已产生推荐人选",
                f"已登记会议 {sum(states.values())} 个，投票中 {states[MeetingStatus.VOTING]} 个。各支部的会议入口在名额测算页。",
                reverse("campaigns:campaign_quotas", args=[campaign.pk]),
                due=campaign.deadline,
                level="info",
                order=40,
            )
