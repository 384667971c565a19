"""Home-page tasks about stories: the town office approves what the branches submitted."""

from __future__ import annotations

from django.urls import reverse

from apps.core.tasks import Task, task_provider

from .choices import StoryStatus
from .models import Story


@task_provider
def story_tasks(user, campaign):
    if not user.manages_town or user.is_admin_role:
        return
    waiting = Story.objects.visible_to(user).filter(status=StoryStatus.SUBMITTED).count()
    if waiting:
        yield Task(
            f"审核支部报送的典型事迹（{waiting} 篇）",
            "审核后发布到本镇公众页面，或修改后再发布。",
            reverse("publicity:story_list"),
            level="todo",
            order=60,
        )
