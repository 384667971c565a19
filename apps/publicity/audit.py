"""Audit action codes of the stories (典型事迹)."""

from django.db import models


class PublicityAudit(models.TextChoices):
    STORY_CREATE = "story.create", "撰写典型事迹"
    STORY_UPDATE = "story.update", "修改典型事迹"
    STORY_SUBMIT = "story.submit", "报送典型事迹"
    STORY_PUBLISH = "story.publish", "发布典型事迹"
    STORY_UNPUBLISH = "story.unpublish", "撤下典型事迹"
