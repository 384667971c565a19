"""Builders for the nomination tests: a concluded branch meeting made directly with the ORM (the meeting
actions are another app's), with the frozen quota snapshot, candidates and one closed round."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from apps.campaigns.quota import compute_quota
from apps.meetings.choices import MeetingStatus, RoundStatus
from apps.meetings.models import Candidate, Meeting, PollRound, RoundResult
from apps.nominations import actions

from . import factories as f


def concluded_meeting(campaign, branch, *, formal: int = 30, recommended: int = 3, not_recommended: int = 1, date=None) -> Meeting:
    """A held meeting of `branch`: `formal` 正式党员 in the quota snapshot (quota = formal × campaign %),
    `recommended` candidates recommended in a closed round and `not_recommended` who did not pass."""
    quota = compute_quota(formal, campaign.post_quota_percent, campaign.rounding)
    date = date or timezone.localdate() - dt.timedelta(days=10)
    meeting = Meeting.objects.create(
        campaign=campaign,
        org=branch,
        status=MeetingStatus.CONCLUDED,
        date=date,
        place="村党群服务中心",
        chair="主持人甲",
        recorder="记录人乙",
        attendance_taken_at=timezone.now(),
        expected_voters=formal,
        present_voters=formal - 2,
        quorate=True,
        quota_formal_members=quota.base,
        quota_percent=quota.percent,
        quota_rule=quota.rule,
        quota_value=quota.value,
        quota_explain=quota.explain(),
    )
    poll = PollRound.objects.create(meeting=meeting, number=1, status=RoundStatus.CLOSED, max_choices=max(quota.value, 1))
    poll.issued = poll.used = poll.valid = formal - 2
    poll.invalid = 0
    poll.closed_at = timezone.now()
    poll.save()
    for i in range(recommended + not_recommended):
        member = f.member(branch, f"{branch.name[:3]}候选{i + 1}")
        candidate = Candidate.objects.create(
            meeting=meeting,
            campaign=campaign,
            member=member,
            post=f"岗位{i + 1}",
            deeds=f"带头参与乡村振兴，事迹{i + 1}。",
        )
        poll.candidates.add(candidate)
        ok = i < recommended
        RoundResult.objects.create(round=poll, candidate=candidate, votes=formal - 3 - i if ok else 2, passed=ok, recommended=ok)
    return meeting


def proposal_data(meeting: Meeting, candidate_ids=None, **overrides) -> dict:
    day = timezone.localdate()
    data = {
        "committee_date": max(meeting.date, day - dt.timedelta(days=8)),
        "committee_attendees": "书记甲、委员乙、委员丙",
        "candidate_ids": list(candidate_ids) if candidate_ids is not None else [c.pk for c in meeting.recommended_candidates()],
        "opinion": "经支委会研究，同意推荐。",
        "publicity_start": day - dt.timedelta(days=7),
        "publicity_end": day - dt.timedelta(days=2),
    }
    data.update(overrides)
    return data


def proposed(actor, campaign, branch, **kw):
    meeting = concluded_meeting(campaign, branch, **kw)
    return actions.create_proposal(actor, meeting, proposal_data(meeting))


def submitted(actor, campaign, branch, **kw):
    return actions.submit_proposal(actor, proposed(actor, campaign, branch, **kw))


def campaign_with(campaign, **fields):
    for k, v in fields.items():
        setattr(campaign, k, v)
    campaign.save()
    return campaign


__all__ = ["Decimal", "campaign_with", "concluded_meeting", "proposal_data", "proposed", "submitted"]
