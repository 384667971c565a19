"""What the public sees of a town: current notices, the honour roll (光荣榜) by year, published stories.

Only names, organizations, posts and deeds — never an ID number, a phone or a birth date. A plaque or a
certificate withdrawn (摘牌, apps/villages/registry.py) is no longer shown as current."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone

from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination
from apps.notices.models import Notice
from apps.orgs.choices import OrgLevel
from apps.orgs.models import Organization
from apps.villages.choices import VillageStatus
from apps.villages.models import VillageCandidate

from .models import Story

DEEDS_CHARS = 120


def public_town(pk: int) -> Organization:
    town = Organization.objects.filter(pk=pk, level=OrgLevel.TOWN).first()
    if town is None:
        raise Http404("未找到该镇。")
    return town


def current_notices(town, today=None) -> list[Notice]:
    """Notices not yet ended (running or upcoming), soonest end first."""
    today = today or timezone.localdate()
    return list(Notice.objects.filter(campaign__town=town, end__gte=today).select_related("campaign").order_by("end", "pk"))


def _short(text: str, n: int = DEEDS_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass
class Year:
    year: int
    posts: list[dict] = field(default_factory=list)
    villages: list[dict] = field(default_factory=list)


def honour_roll(town) -> list[Year]:
    """Commended 示范岗 (with a certificate) and approved 示范村 (with a plaque), newest year first."""
    years: dict[int, Year] = {}
    posts = (
        Nomination.objects.filter(campaign__town=town, status=NominationStatus.COMMENDED, plaque_revocation__isnull=True)
        .exclude(certificate_no="")
        .select_related("member", "org", "candidate", "campaign")
        .order_by("org__path", "pk")
    )
    for n in posts:
        years.setdefault(n.campaign.year, Year(n.campaign.year)).posts.append(
            {"pk": n.pk, "name": n.member.name, "branch": n.org.name, "post": n.candidate.post, "deeds": _short(n.candidate.deeds)}
        )
    villages = (
        VillageCandidate.objects.filter(campaign__town=town, status=VillageStatus.APPROVED, revocation__isnull=True)
        .exclude(plaque_no="")
        .select_related("org", "campaign")
        .order_by("org__path", "pk")
    )
    for v in villages:
        years.setdefault(v.campaign.year, Year(v.campaign.year)).villages.append({"pk": v.pk, "name": v.org.name})
    return [years[y] for y in sorted(years, reverse=True)]


def published_stories(town, limit: int | None = None):
    qs = Story.objects.filter(town=town).published().select_related("nomination__member", "village__org")
    return list(qs[:limit] if limit else qs)
