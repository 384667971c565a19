"""Page rows: the 公示 (town pages; the public notice and tracking pages need no login)."""

import datetime as dt

from apps.core import clock
from apps.notices.actions import create_notice, record_objection

from ..build_notices import listed_nomination
from ..matrix import Case, expect, get_and_post

OFFICE_ONLY = expect(403, admin=200, office=200, other_office=404)
OFFICE_ONLY_FAR = expect(404, admin=200, county_user=403, other_office=200)
PUBLIC = expect(200, anonymous=200)


def _notice(w, campaign=None, actor=None, member=None):
    campaign = campaign or w.campaign
    listed_nomination(campaign, member or w.member)
    return create_notice(actor or w.office, campaign, clock.today() - dt.timedelta(days=30))


def notice(w, user):
    return {"pk": _notice(w).pk}


def far_notice(w, user):
    return {"pk": _notice(w, w.other_campaign, w.other_office, w.far_member).pk}


def objection(w, user):
    n = _notice(w)
    return {"pk": record_objection(w.office, n, text="来信反映", received_on=n.start).pk}


def far_objection(w, user):
    n = _notice(w, w.other_campaign, w.other_office, w.far_member)
    return {"pk": record_objection(w.other_office, n, text="来信反映", received_on=n.start).pk}


def public_id(w, user):
    return {"public_id": _notice(w).public_id}


CASES = [
    Case("notices:notices_current", "current campaign's notices", expect(302)),
    Case("notices:notice_list", "this town's notices", expect(200, other_office=404), kwargs=lambda w, u: {"pk": w.campaign.pk}),
    Case(
        "notices:notice_list",
        "blank notice",
        expect(403, admin=200, office=200, other_office=404),
        kwargs=lambda w, u: {"pk": w.campaign.pk},
        method="post",
    ),
    Case(
        "notices:notice_list",
        "other town's notices",
        expect(404, admin=200, county_user=200, other_office=200),
        kwargs=lambda w, u: {"pk": w.other_campaign.pk},
    ),
    Case("notices:notice_detail", "this town's notice", OFFICE_ONLY, kwargs=notice),
    Case("notices:notice_detail", "other town's notice", OFFICE_ONLY_FAR, kwargs=far_notice, secret=lambda w: w.far_member.name),
    *get_and_post("notices:objection_list", "this town's objections", OFFICE_ONLY, kwargs=lambda w, u: {"pk": w.campaign.pk}),
    *get_and_post("notices:objection_list", "other town's objections", OFFICE_ONLY_FAR, kwargs=lambda w, u: {"pk": w.other_campaign.pk}),
    Case("notices:objection_detail", "this town's objection", OFFICE_ONLY, kwargs=objection),
    Case("notices:objection_detail", "other town's objection", OFFICE_ONLY_FAR, kwargs=far_objection, secret=lambda w: "来信反映"),
    Case("notices:objection_note", "note by GET", expect(405), kwargs=objection),
    Case("notices:objection_note", "blank note", OFFICE_ONLY, kwargs=objection, method="post"),
    Case("notices:objection_note", "other town's objection", OFFICE_ONLY_FAR, kwargs=far_objection, method="post"),
    Case("notices:objection_conclude", "conclude by GET", expect(405), kwargs=objection),
    Case("notices:objection_conclude", "blank conclusion", OFFICE_ONLY, kwargs=objection, method="post"),
    Case("notices:objection_conclude", "other town's objection", OFFICE_ONLY_FAR, kwargs=far_objection, method="post"),
    Case("notices:public_notice", "public notice", PUBLIC, kwargs=public_id),
    Case("notices:public_notice", "objection posted to the notice", expect(405, anonymous=405), kwargs=public_id, method="post"),
    Case("notices:public_notice", "unknown notice", expect(404, anonymous=404), kwargs=lambda w, u: {"public_id": "no-such-notice"}),
    Case("notices:public_objection", "objection form", PUBLIC, kwargs=public_id),
    Case("notices:public_objection", "blank objection after the period", expect(422, anonymous=422), kwargs=public_id, method="post"),
    Case("notices:public_objection", "unknown notice", expect(404, anonymous=404), kwargs=lambda w, u: {"public_id": "no-such-notice"}),
    Case("notices:public_tracking", "tracking page", PUBLIC),
    Case("notices:public_tracking", "blank code", PUBLIC, method="post"),
]
