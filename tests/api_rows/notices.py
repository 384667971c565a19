"""API rows: the 公示 and objections. `PUBLIC`: the operations that need no token."""

import datetime as dt

from apps.core import clock
from apps.notices.actions import create_notice, file_objection, record_objection

from ..build_notices import listed_nomination
from ..matrix import Op, api_expect

OFFICE = api_expect(403, admin=200, office=200, other_office=404)
OFFICE_CREATE = api_expect(403, admin=201, office=201, other_office=404)
EVERYONE = api_expect(200, anonymous=200)


def _notice(w, start=None):
    listed_nomination(w.campaign, w.member)
    return create_notice(w.office, w.campaign, start or clock.today() - dt.timedelta(days=30))


def _running(w):
    return _notice(w, clock.today())


def _objection(w):
    notice = _notice(w)
    return record_objection(w.office, notice, text="来信反映", received_on=notice.start)


def _tracking_code(w):
    return file_objection(_running(w), "网上反映")[1]


def _record_body(w):
    notice = _notice(w)
    return {"notice_id": notice.pk, "text": "来电反映", "received_on": notice.start.isoformat(), "channel": "phone"}


PUBLIC = [
    ("get", "/api/v1/public/notices/{public_id}"),
    ("post", "/api/v1/public/notices/{public_id}/objections"),
    ("get", "/api/v1/public/objections/{tracking_code}"),
]

OPS = [
    Op(
        "post",
        "/api/v1/campaigns/{id}/notices",
        api_expect(403, admin=422, office=422, other_office=404),
        params=lambda w: {"id": w.campaign.pk},
        body=lambda w: {"start": clock.today().isoformat()},
        label="[nothing listed]",
    ),
    Op("get", "/api/v1/public/notices/{public_id}", EVERYONE, params=lambda w: {"public_id": _running(w).public_id}),
    Op(
        "post",
        "/api/v1/public/notices/{public_id}/objections",
        api_expect(201, anonymous=201),
        params=lambda w: {"public_id": _running(w).public_id},
        body=lambda w: {"text": "反映情况"},
    ),
    Op("get", "/api/v1/public/objections/{tracking_code}", EVERYONE, params=lambda w: {"tracking_code": _tracking_code(w)}),
    Op("get", "/api/v1/campaigns/{id}/objections", OFFICE, params=lambda w: {"id": w.campaign.pk}),
    Op("post", "/api/v1/campaigns/{id}/objections", OFFICE_CREATE, params=lambda w: {"id": w.campaign.pk}, body=_record_body),
    Op(
        "post",
        "/api/v1/objections/{id}/conclude",
        OFFICE,
        params=lambda w: {"id": _objection(w).pk},
        body=lambda w: {"outcome": "dismissed", "conclusion": "经核实不属实。"},
    ),
]
