"""Stories (典型事迹): the town office writes and publishes; a branch secretary drafts and submits for approval.

draft → (branch submits) submitted → (town publishes) published ⇄ unpublished. The town may publish its own
draft directly. Only published stories appear on the town's public home."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.audit.log import record
from apps.core.actions import ActionError, refuse, refuse_unless
from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination
from apps.villages.choices import VillageStatus
from apps.villages.models import VillageCandidate

from .audit import PublicityAudit as Code
from .choices import StoryStatus
from .freshness import invalidate_town
from .images import prepare_image
from .models import Story
from .sanitize import clean_body, plain

DENIED = "只有镇党建办或党支部书记可以撰写典型事迹。"
TOWN_ONLY = "只有镇党建办可以发布或撤下典型事迹。"


def may_write(user) -> bool:
    return bool(user.manages_town or user.is_branch_secretary)


def _town(actor):
    town = actor.town()
    if town is None:
        raise ActionError(["您的账号没有所属的镇，无法撰写典型事迹。"])
    return town


def _link_errors(town, nomination, village) -> list[str]:
    errors = []
    if nomination is not None:
        ok = nomination.campaign.town_id == town.pk and nomination.status == NominationStatus.COMMENDED
        if not ok or Nomination.objects.filter(pk=nomination.pk, plaque_revocation__isnull=False).exists():
            errors.append("关联的党员不是本镇已表彰的共产党员示范岗（或已摘牌）。")
    if village is not None:
        ok = village.campaign.town_id == town.pk and village.status == VillageStatus.APPROVED and village.plaque_no
        if not ok or VillageCandidate.objects.filter(pk=village.pk, revocation__isnull=False).exists():
            errors.append("关联的村不是本镇已授牌的共产党员示范村（或已摘牌）。")
    return errors


def _fields(town, title, body, nomination, village) -> dict:
    title = " ".join((title or "").split())
    body = clean_body(body)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["请填写标题。"]
    if not plain(body):
        errors["body"] = ["请填写正文。"]
    links = _link_errors(town, nomination, village)
    if links:
        errors["__all__"] = links
    if errors:
        raise ActionError(errors)
    return {"title": title[:80], "body": body, "summary": plain(body)[:140], "nomination": nomination, "village": village}


def _save_image(story: Story, image) -> None:
    if image:
        story.image.save("story.jpg", ContentFile(prepare_image(image)), save=False)


@transaction.atomic
def create_story(actor, title: str, body: str, *, image=None, nomination=None, village=None) -> Story:
    refuse_unless(may_write(actor), DENIED)
    town = _town(actor)
    fields = _fields(town, title, body, nomination, village)
    org = None if actor.manages_town else actor.organization
    story = Story(town=town, org=org, created_by=actor, **fields)
    _save_image(story, image)
    story.save()
    record(actor, Code.STORY_CREATE, story, changes={"标题": [None, story.title]}, town=town)
    return story


def edit_story_blockers(actor, story: Story) -> list[str]:
    if actor.manages_town:
        return []
    if story.status not in (StoryStatus.DRAFT,):
        return ["已报送或已发布的事迹由镇党建办修改。"]
    return []


@transaction.atomic
def edit_story(actor, story: Story, title: str, body: str, *, image=None, nomination=None, village=None) -> Story:
    refuse_unless(may_write(actor), DENIED)
    story = Story.objects.select_for_update().get(pk=story.pk)
    refuse(edit_story_blockers(actor, story))
    fields = _fields(story.town, title, body, nomination, village)
    old = story.title
    for k, v in fields.items():
        setattr(story, k, v)
    _save_image(story, image)
    story.save()
    record(actor, Code.STORY_UPDATE, story, changes={"标题": [old, story.title]}, town=story.town)
    if story.status == StoryStatus.PUBLISHED:
        invalidate_town(story.town_id)
    return story


def submit_story_blockers(actor, story: Story) -> list[str]:
    if story.status != StoryStatus.DRAFT:
        return ["只有草稿可以报送镇党委审核。"]
    return []


@transaction.atomic
def submit_story(actor, story: Story) -> Story:
    refuse_unless(actor.is_branch_secretary or actor.manages_town, DENIED)
    story = Story.objects.select_for_update().get(pk=story.pk)
    refuse(submit_story_blockers(actor, story), conflict=story.status == StoryStatus.SUBMITTED)
    story.status = StoryStatus.SUBMITTED
    story.save(update_fields=["status", "updated_at"])
    record(actor, Code.STORY_SUBMIT, story, changes={"状态": ["草稿", "待镇党委审核"]}, town=story.town)
    return story


def publish_story_blockers(actor, story: Story) -> list[str]:
    blockers = []
    if story.status == StoryStatus.PUBLISHED:
        blockers.append("该事迹已发布。")
    if not story.title.strip() or not plain(story.body):
        blockers.append("标题和正文不能为空。")
    blockers += _link_errors(story.town, story.nomination, story.village)
    return blockers


@transaction.atomic
def publish_story(actor, story: Story) -> Story:
    refuse_unless(actor.manages_town, TOWN_ONLY)
    story = Story.objects.select_for_update().get(pk=story.pk)
    refuse(publish_story_blockers(actor, story), conflict=story.status == StoryStatus.PUBLISHED)
    old = story.get_status_display()
    story.status = StoryStatus.PUBLISHED
    story.published_at = timezone.now()
    story.save(update_fields=["status", "published_at", "updated_at"])
    record(actor, Code.STORY_PUBLISH, story, changes={"状态": [old, "已发布"]}, town=story.town)
    invalidate_town(story.town_id)
    return story


def unpublish_story_blockers(actor, story: Story) -> list[str]:
    return [] if story.status == StoryStatus.PUBLISHED else ["该事迹尚未发布。"]


@transaction.atomic
def unpublish_story(actor, story: Story, reason: str = "") -> Story:
    refuse_unless(actor.manages_town, TOWN_ONLY)
    story = Story.objects.select_for_update().get(pk=story.pk)
    refuse(unpublish_story_blockers(actor, story), conflict=story.status == StoryStatus.UNPUBLISHED)
    story.status = StoryStatus.UNPUBLISHED
    story.save(update_fields=["status", "updated_at"])
    record(actor, Code.STORY_UNPUBLISH, story, changes={"状态": ["已发布", "已撤下"]}, note=reason, town=story.town)
    invalidate_town(story.town_id)
    return story
