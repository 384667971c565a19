"""Builders for the public face: a town with a commended post, an approved village and a published story."""

from __future__ import annotations

from django.utils import timezone

from apps.publicity.choices import StoryStatus
from apps.publicity.models import Story

from .build_villages import commended_post, plaqued, roomy


def honoured(w):
    """东岭村's commended post (certificate 东岭镇-2026-001) and its plaque SFC-1."""
    roomy(w.campaign)
    village = plaqued(w)
    post = commended_post(w)
    return post, village


def published_story(w, title: str = "扎根乡村的带头人", body: str = "<p>带领群众发展产业。</p>", **kw) -> Story:
    fields = {"status": StoryStatus.PUBLISHED, "published_at": timezone.now(), "created_by": w.office} | kw
    return Story.objects.create(town=w.town, title=title, body=body, **fields)
