"""Quotas of a campaign from the live roster: per-branch post quotas and the town's village quota.

The arithmetic itself is pure and lives in quota.py; here are the counts it is applied to."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from apps.orgs.choices import Category, MemberStatus
from apps.orgs.models import Organization

from .models import Campaign
from .quota import Quota


@dataclass(frozen=True)
class BranchQuota:
    org: Organization
    quota: Quota


def branch_quotas(campaign: Campaign, orgs=None) -> list[BranchQuota]:
    """Live post quota of every basic organization of the town (one query).

    The count is the branch's own 正式党员 in 在册 status; the branch meeting freezes it later.
    """
    orgs = orgs if orgs is not None else Organization.objects.all()
    rows = (
        orgs.filter(path__startswith=campaign.town.path, is_active=True)
        .basic()
        .annotate(formal=Count("members", filter=Q(members__status=MemberStatus.ACTIVE, members__category=Category.FORMAL)))
        .order_by("path")
    )
    return [BranchQuota(org=o, quota=campaign.post_quota(o.formal)) for o in rows]


def village_count(campaign: Campaign) -> int:
    return Organization.objects.filter(path__startswith=campaign.town.path, is_active=True).villages().count()


def village_quota(campaign: Campaign) -> Quota:
    return campaign.village_quota(village_count(campaign))
