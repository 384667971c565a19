"""Stories (典型事迹) of the town's commended members and villages, published on the town's public home."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from apps.core.querysets import ScopedQuerySet

from .choices import StoryStatus


def image_name(instance, filename: str) -> str:
    """A generated name: the uploader's file name is never part of the stored path."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"stories/{secrets.token_hex(12)}.{ext}"


class StoryQuerySet(ScopedQuerySet):
    """Town-wide for the town and the county; a branch secretary sees only the stories its branch submitted."""

    scope_field = "town"
    scope_axis = "towns"

    def visible_to(self, user):
        qs = super().visible_to(user)
        if getattr(user, "is_branch_secretary", False):
            org = getattr(user, "organization", None)
            qs = qs.filter(org__path__startswith=org.path) if org else qs.none()
        return qs

    def published(self):
        return self.filter(status=StoryStatus.PUBLISHED)


class Story(models.Model):
    town = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="stories", verbose_name="镇党委")
    org = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="报送党组织"
    )
    title = models.CharField("标题", max_length=80)
    body = models.TextField("正文")  # sanitized HTML (apps/publicity/sanitize.py), safe to render as it is
    summary = models.CharField("摘要", max_length=140, blank=True)
    image = models.FileField("图片", upload_to=image_name, max_length=200, blank=True)
    nomination = models.ForeignKey(
        "nominations.Nomination", null=True, blank=True, on_delete=models.PROTECT, related_name="stories", verbose_name="示范岗"
    )
    village = models.ForeignKey(
        "villages.VillageCandidate", null=True, blank=True, on_delete=models.PROTECT, related_name="stories", verbose_name="示范村"
    )
    status = models.CharField("状态", max_length=16, choices=StoryStatus.choices, default=StoryStatus.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = "典型事迹"
        verbose_name_plural = "典型事迹"
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publicity:story_detail", args=[self.pk])

    def public_path(self) -> str:
        return reverse("publicity:public_story", args=[self.town_id, self.pk])
