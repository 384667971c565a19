"""Builders for the oversight tests: one branch of the town in every state of the 示范岗 procedure."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone

from apps.commendations.models import Commendation
from apps.meetings.choices import MeetingStatus
from apps.meetings.models import Meeting
from apps.nominations import actions
from apps.nominations.choices import NominationStatus
from apps.notices.models import Notice

from . import build_nominations as bn
from . import factories as f
from .build_notices import listed_nomination


def _meeting(w, branch, **kw):
    return Meeting.objects.create(
        campaign=w.campaign, org=branch, date=timezone.localdate(), place="村部", chair="主持人甲", recorder="记录人乙", **kw
    )


def _concluded(nomination):
    Meeting.objects.filter(pk=nomination.candidate.meeting_id).update(status=MeetingStatus.CONCLUDED)
    return nomination


def every_state(w) -> dict[str, object]:
    """Branches of 东岭镇 named by the step they are at (the fixture's 镇机关党支部 has no meeting)."""
    today = timezone.localdate()
    b = {"no_meeting": w.organ}
    b["meeting"] = f.org("登记村党支部", w.town)
    _meeting(w, b["meeting"])
    b["attendance"] = f.org("签到村党支部", w.town)
    _meeting(w, b["attendance"], attendance_taken_at=timezone.now(), expected_voters=10, present_voters=8, quorate=True)
    b["not_quorate"] = f.org("不足村党支部", w.town, kind="community")
    _meeting(w, b["not_quorate"], attendance_taken_at=timezone.now(), expected_voters=10, present_voters=4, quorate=False)
    b["voted"] = f.org("表决村党支部", w.town)
    bn.concluded_meeting(w.campaign, b["voted"])
    b["proposed"] = f.org("支委村党支部", w.town)
    bn.proposed(w.office, w.campaign, b["proposed"])
    b["submitted"] = f.org("报送村党支部", w.town)
    bn.submitted(w.office, w.campaign, b["submitted"])
    b["returned"] = f.org("退回村党支部", w.town)
    returned = bn.submitted(w.office, w.campaign, b["returned"])
    actions.decide_nomination(w.approver, returned.nominations.first(), "return", "事迹不具体")
    b["approved"] = f.org("同意村党支部", w.town)
    approved = bn.submitted(w.office, w.campaign, b["approved"])
    for n in approved.nominations.all():
        actions.decide_nomination(w.approver, n, "approve")
    b["listed"] = f.org("名单村党支部", w.town)
    _concluded(listed_nomination(w.campaign, f.member(b["listed"], "名单甲")))
    b["notice"] = f.org("公示村党支部", w.town)
    on_notice = _concluded(listed_nomination(w.campaign, f.member(b["notice"], "公示甲")))
    notice = Notice.objects.create(
        campaign=w.campaign,
        public_id=secrets.token_hex(8),
        title="公示",
        start=today - dt.timedelta(days=1),
        end=today + dt.timedelta(days=4),
        days=5,
        day_kind="natural",
    )
    notice.nominations.add(on_notice)
    b["commended"] = f.org("表彰村党支部", w.town)
    _concluded(listed_nomination(w.campaign, f.member(b["commended"], "表彰甲"), status=NominationStatus.COMMENDED))
    Commendation.objects.create(campaign=w.campaign, doc_number="东党发〔2026〕9号", date=today)
    return b


def past_deadline(w, days: int = 3):
    """Move the campaign's deadline into the past (after the submissions were made)."""
    return bn.campaign_with(w.campaign, deadline=timezone.localdate() - dt.timedelta(days=days))
