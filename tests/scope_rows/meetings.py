"""Page rows: the branch meeting (apps/meetings). Managed by the branch's secretary and the town office;
other roles of the town get 403, everyone outside the scope 404; the voter page is public."""

from __future__ import annotations

from apps.core import clock

from ..matrix import Case, expect

MANAGE_OWN = expect(403, admin=200, office=200, secretary=200, secretary2=404, other_office=404)
MANAGE_FAR = expect(404, admin=200, county_user=403, other_office=200)
REDIRECT_OWN = {**MANAGE_OWN, **dict.fromkeys(("admin", "office", "secretary"), 302)}
REDIRECT_FAR = {**MANAGE_FAR, **dict.fromkeys(("admin", "other_office"), 302)}
# The far meeting's 404 for roles that can't see the other town's campaign either.
MANAGE_FAR_CAMPAIGN = expect(404, admin=200, county_user=403, other_office=200)


def _meeting(w, far: bool = False):
    from apps.meetings.actions import create_meeting
    from apps.meetings.models import Meeting

    actor, campaign, org = (w.other_office, w.other_campaign, w.far_village) if far else (w.office, w.campaign, w.village)
    found = Meeting.objects.filter(org=org).first()
    return found or create_meeting(actor, campaign, org, {"date": clock.today(), "place": "会议室", "chair": "甲", "recorder": "乙"})


def own(w, user):
    return {"pk": _meeting(w).pk}


def far(w, user):
    return {"pk": _meeting(w, far=True).pk}


def _candidate(w, meeting, member):
    from apps.meetings.models import Candidate
    from apps.orgs.models import Appraisal

    Appraisal.objects.get_or_create(member=member, year=w.campaign.appraisal_year, defaults={"grade": "qualified"})
    found = Candidate.objects.filter(meeting=meeting, member=member).first()
    return found or Candidate.objects.create(meeting=meeting, campaign=meeting.campaign, member=member, post="组长", deeds="事迹")


def own_candidate(w, user):
    m = _meeting(w)
    return {"pk": m.pk, "cid": _candidate(w, m, w.member).pk}


def far_candidate(w, user):
    m = _meeting(w, far=True)
    return {"pk": m.pk, "cid": _candidate(w, m, w.far_member).pk}


def mismatched_candidate(w, user):
    """The other town's candidate under this town's meeting."""
    return {"pk": _meeting(w).pk, "cid": far_candidate(w, user)["cid"]}


def branch(attr_campaign: str, attr_org: str):
    return lambda w, user: {"pk": getattr(w, attr_campaign).pk, "org": getattr(w, attr_org).pk}


CASES = [
    Case("meetings:branch_meeting", "own village", MANAGE_OWN, kwargs=branch("campaign", "village")),
    Case("meetings:branch_meeting", "own village, blank form", MANAGE_OWN, kwargs=branch("campaign", "village"), method="post"),
    Case("meetings:branch_meeting", "other town's village", MANAGE_FAR_CAMPAIGN, kwargs=branch("other_campaign", "far_village")),
    Case(
        "meetings:branch_meeting",
        "other town's village under this town's campaign",
        expect(403, admin=200, office=404, secretary=404, secretary2=404, other_office=404),
        kwargs=branch("campaign", "far_village"),
    ),
    Case("meetings:meeting_detail", "own village", MANAGE_OWN, kwargs=own, secret=lambda w: w.village.name),
    Case("meetings:meeting_detail", "other town's village", MANAGE_FAR, kwargs=far, secret=lambda w: w.far_village.name),
    Case("meetings:meeting_edit", "own village", MANAGE_OWN, kwargs=own, secret=lambda w: w.village.name),
    Case("meetings:meeting_edit", "own village, blank form", MANAGE_OWN, kwargs=own, method="post"),
    Case("meetings:meeting_edit", "other town's village", MANAGE_FAR, kwargs=far, secret=lambda w: w.far_village.name),
    Case("meetings:attendance", "own village", MANAGE_OWN, kwargs=own, secret=lambda w: w.member.name),
    Case("meetings:attendance", "own village, all present", REDIRECT_OWN, kwargs=own, method="post"),
    Case("meetings:attendance", "other town's village", MANAGE_FAR, kwargs=far, secret=lambda w: w.far_member.name),
    Case("meetings:attendance", "other town's village, all present", REDIRECT_FAR, kwargs=far, method="post"),
    Case("meetings:candidates", "own village", MANAGE_OWN, kwargs=own, secret=lambda w: w.member.name),
    Case("meetings:candidates", "own village, blank form", MANAGE_OWN, kwargs=own, method="post"),
    Case("meetings:candidates", "other town's village", MANAGE_FAR, kwargs=far, secret=lambda w: w.far_member.name),
    Case("meetings:candidate_remove", "remove by GET", expect(405), kwargs=own_candidate),
    Case("meetings:candidate_remove", "own candidate", REDIRECT_OWN, kwargs=own_candidate, method="post"),
    Case("meetings:candidate_remove", "other town's candidate", REDIRECT_FAR, kwargs=far_candidate, method="post"),
    Case(
        "meetings:candidate_remove",
        "other town's candidate under this town's meeting",
        expect(403, admin=404, office=404, secretary=404, secretary2=404, other_office=404),
        kwargs=mismatched_candidate,
        method="post",
    ),
    Case("meetings:poll_open", "own village", MANAGE_OWN, kwargs=own),
    Case("meetings:poll_open", "own village, refused (no attendance)", MANAGE_OWN, kwargs=own, method="post"),
    Case("meetings:poll_open", "other town's village", MANAGE_FAR, kwargs=far),
    Case("meetings:poll", "own village", MANAGE_OWN, kwargs=own),
    Case("meetings:poll", "other town's village", MANAGE_FAR, kwargs=far),
    Case("meetings:poll_close", "close by GET", expect(405), kwargs=own),
    Case("meetings:poll_close", "own village, nothing open", REDIRECT_OWN, kwargs=own, method="post"),
    Case("meetings:poll_close", "other town's village", REDIRECT_FAR, kwargs=far, method="post"),
    Case("meetings:tally", "own village", MANAGE_OWN, kwargs=own),
    Case("meetings:tally", "own village, blank form", MANAGE_OWN, kwargs=own, method="post"),
    Case("meetings:tally", "other town's village", MANAGE_FAR, kwargs=far),
    Case("meetings:vote", "voter page", expect(200, anonymous=200)),
    Case("meetings:vote", "voter page, unknown code", expect(200, anonymous=200), method="post", data=lambda w: {"code": "X"}),
]
