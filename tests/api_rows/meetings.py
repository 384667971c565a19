"""API rows: the branch meeting and its secret ballot (API.md "示范岗: branch general meeting")."""

from __future__ import annotations

from apps.core import clock

from ..matrix import Op, api_expect

# Managed by the branch's secretary and the town office; other roles of the town 403; outside the scope 404.
MANAGE_OWN = api_expect(403, admin=200, office=200, secretary=200, secretary2=404, other_office=404)
CREATED_OWN = {**MANAGE_OWN, **dict.fromkeys(("admin", "office", "secretary"), 201)}
REFUSED_OWN = {**MANAGE_OWN, **dict.fromkeys(("admin", "office", "secretary"), 422)}
VIEW_OWN = api_expect(200, inspector=403, secretary2=404, other_office=404)
VIEW_FAR = api_expect(404, admin=200, county_user=200, other_office=200)
MANAGE_FAR = api_expect(404, admin=201, county_user=403, other_office=201)


def details() -> dict:
    return {"date": str(clock.today()), "place": "会议室", "chair": "甲", "recorder": "乙"}


def _meeting(w, far: bool = False, method: str = "electronic"):
    from apps.meetings.actions import create_meeting

    actor, campaign, org = (w.other_office, w.other_campaign, w.far_village) if far else (w.office, w.campaign, w.village)
    return create_meeting(actor, campaign, org, {**details(), "date": clock.today(), "method": method})


def _ready(w, method: str = "electronic"):
    from ..build_meetings import ready_meeting

    return ready_meeting(w, voters=10, candidates=2, method=method)[0]


def _opened(w, *, voted: bool = False):
    from apps.meetings.actions import cast_ballot, open_poll

    m = _ready(w)
    codes = open_poll(w.office, m)[1]
    if voted:
        cast_ballot(codes.pop(), [])
    return m, codes


def meeting_id(w):
    return {"meeting_id": _meeting(w).pk}


def ready_id(w):
    return {"meeting_id": _ready(w).pk}


def paper_id(w):
    m = _ready(w, method="paper")
    w.paper_candidates = list(m.candidates.values_list("pk", flat=True))
    return {"meeting_id": m.pk}


def opened_id(w):
    return {"meeting_id": _opened(w)[0].pk}


def voted_id(w):
    return {"meeting_id": _opened(w, voted=True)[0].pk}


def a_code(w):
    return {"code": _opened(w)[1][0], "choices": []}


OPS = [
    Op(
        "post",
        "/api/v1/campaigns/{campaign_id}/meetings",
        CREATED_OWN,
        params=lambda w: {"campaign_id": w.campaign.pk},
        body=lambda w: {**details(), "org_id": w.village.pk},
    ),
    Op(
        "post",
        "/api/v1/campaigns/{campaign_id}/meetings",
        MANAGE_FAR,
        params=lambda w: {"campaign_id": w.other_campaign.pk},
        body=lambda w: {**details(), "org_id": w.far_village.pk},
        label=" other town",
    ),
    Op("get", "/api/v1/meetings/{meeting_id}", VIEW_OWN, params=meeting_id),
    Op("get", "/api/v1/meetings/{meeting_id}", VIEW_FAR, params=lambda w: {"meeting_id": _meeting(w, far=True).pk}, label=" other town"),
    Op(
        "put",
        "/api/v1/meetings/{meeting_id}/attendance",
        MANAGE_OWN,
        params=meeting_id,
        body=lambda w: {"present": [w.member.pk], "absent": [], "excused": []},
    ),
    Op(
        "post",
        "/api/v1/meetings/{meeting_id}/candidates",
        CREATED_OWN,
        params=meeting_id,
        body=lambda w: {"member_id": w.member.pk, "post": "组长", "deeds": "事迹", "confirm_missing_appraisal": True},
    ),
    Op("post", "/api/v1/meetings/{meeting_id}/poll", CREATED_OWN, params=ready_id),
    Op("post", "/api/v1/meetings/{meeting_id}/poll", REFUSED_OWN, params=meeting_id, label=" before attendance"),
    Op("get", "/api/v1/meetings/{meeting_id}/poll", MANAGE_OWN, params=opened_id),
    Op("post", "/api/v1/meetings/{meeting_id}/poll/close", MANAGE_OWN, params=voted_id),
    Op("post", "/api/v1/meetings/{meeting_id}/poll/close", REFUSED_OWN, params=opened_id, label=" nobody voted"),
    Op(
        "post",
        "/api/v1/meetings/{meeting_id}/tallies",
        CREATED_OWN,
        params=paper_id,
        body=lambda w: {"teller": "counter", "issued": 10, "returned": 10, "valid": 10, "invalid": 0, "votes": {}},
    ),
    Op("post", "/api/v1/ballots", api_expect(201, anonymous=201), body=a_code),
    Op("post", "/api/v1/ballots", api_expect(404, anonymous=404), body=lambda w: {"code": "NOPE", "choices": []}, label=" unknown code"),
]

PUBLIC = [("post", "/api/v1/ballots")]
