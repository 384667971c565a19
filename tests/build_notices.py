"""Builders for the 公示 and commendation tests: listed nominations made directly with the ORM (the steps
before the 参评名单 have their own actions and tests in apps/meetings and apps/nominations)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.meetings.models import Candidate, Meeting
from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination, Proposal


def listed_nomination(
    campaign, member, *, post: str = "村党支部委员", deeds: str = "带头发展产业，服务群众。", status=NominationStatus.LISTED
):
    """A nomination of `member` by its branch in `campaign`, already on the town's 参评名单."""
    branch = member.branch
    meeting = Meeting.objects.filter(campaign=campaign, org=branch).first() or Meeting.objects.create(
        campaign=campaign, org=branch, date=dt.date(campaign.year, 3, 1), place="村部会议室", chair="主持人甲", recorder="记录人乙"
    )
    proposal = Proposal.objects.filter(meeting=meeting).first() or Proposal.objects.create(
        meeting=meeting,
        campaign=campaign,
        org=branch,
        committee_date=dt.date(campaign.year, 3, 5),
        committee_attendees="支委甲、支委乙、支委丙",
        opinion="同意推荐。",
        publicity_start=dt.date(campaign.year, 3, 6),
        publicity_end=dt.date(campaign.year, 3, 10),
    )
    candidate = Candidate.objects.create(meeting=meeting, campaign=campaign, member=member, post=post, deeds=deeds)
    return Nomination.objects.create(
        campaign=campaign,
        org=branch,
        proposal=proposal,
        candidate=candidate,
        member=member,
        status=status,
        listed_at=timezone.make_aware(dt.datetime(campaign.year, 1, 2, 9, 0)) if status == NominationStatus.LISTED else None,
    )
