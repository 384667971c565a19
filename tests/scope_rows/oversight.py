"""Page rows: the progress board (the town's roles and the county read it; a secretary sees its own row;
inspectors work on villages only), its export, and the supervision visits (recorded by the town office,
items closed by the town office or the branch's secretary)."""

import datetime as dt

from django.utils import timezone

from apps.oversight import actions

from ..matrix import Case, expect

OWN = expect(200, inspector=403, other_office=404)
FAR = expect(404, admin=200, county_user=200, other_office=200)


def _visit(w, org=None, office=None, campaign=None):
    today = timezone.localdate()
    data = {
        "date": today,
        "inspectors": "检查员甲",
        "findings": "记录不全。",
        "items": [{"item": "补齐记录", "owner": "支书甲", "due_on": today + dt.timedelta(days=3)}],
    }
    return actions.record_visit(office or w.office, campaign or w.campaign, org or w.village, data)


def _own_visit(w, user):
    return {"pk": _visit(w).pk}


def _far_visit(w, user):
    return {"pk": _visit(w, w.far_village, w.other_office, w.other_campaign).pk}


def _own_item(w, user):
    return {"pk": _visit(w).items.get().pk}


def _far_item(w, user):
    return {"pk": _visit(w, w.far_village, w.other_office, w.other_campaign).items.get().pk}


CASES = [
    Case("oversight:board_current", "the board or the towns' summary", expect(302, admin=200, county_user=200)),
    Case("oversight:board", "this town's board", OWN, kwargs=lambda w, u: {"pk": w.campaign.pk}),
    Case(
        "oversight:board", "other town's board", FAR, kwargs=lambda w, u: {"pk": w.other_campaign.pk}, secret=lambda w: w.far_village.name
    ),
    Case("oversight:board_export", "this town's export", OWN, kwargs=lambda w, u: {"pk": w.campaign.pk}),
    Case("oversight:board_export", "other town's export", FAR, kwargs=lambda w, u: {"pk": w.other_campaign.pk}),
    Case("oversight:visit_list", "this town's visits", OWN, kwargs=lambda w, u: {"pk": w.campaign.pk}),
    Case("oversight:visit_list", "other town's visits", FAR, kwargs=lambda w, u: {"pk": w.other_campaign.pk}),
    Case(
        "oversight:visit_create",
        "record a visit in this town",
        expect(403, admin=200, office=200, other_office=404),
        kwargs=lambda w, u: {"pk": w.campaign.pk},
    ),
    Case(
        "oversight:visit_create",
        "blank visit in this town",
        expect(403, admin=422, office=422, other_office=404),
        kwargs=lambda w, u: {"pk": w.campaign.pk},
        method="post",
    ),
    Case(
        "oversight:visit_create",
        "record a visit in the other town",
        expect(404, admin=200, county_user=403, other_office=200),
        kwargs=lambda w, u: {"pk": w.other_campaign.pk},
    ),
    Case(
        "oversight:visit_detail",
        "visit of 东岭村",
        expect(200, secretary2=404, other_office=404),
        kwargs=_own_visit,
        secret=lambda w: "补齐记录",
    ),
    Case(
        "oversight:visit_detail",
        "visit of the other town",
        FAR | {"inspector": 404},
        kwargs=_far_visit,
        secret=lambda w: w.far_village.name,
    ),
    Case(
        "oversight:rectification_close",
        "item of 东岭村",
        expect(403, admin=200, office=200, secretary=200, secretary2=404, other_office=404),
        kwargs=_own_item,
    ),
    Case(
        "oversight:rectification_close",
        "item of the other town",
        expect(404, admin=200, county_user=403, other_office=200),
        kwargs=_far_item,
    ),
]

CASES += [
    Case("oversight:notifications", "own reminders", expect(200)),
    Case("oversight:notifications", "mark own reminders read", expect(302), method="post"),
]

CASES += [
    Case("oversight:assessment", "this town's assessment", OWN, kwargs=lambda w, u: {"pk": w.campaign.pk}),
    Case("oversight:assessment", "other town's assessment", FAR, kwargs=lambda w, u: {"pk": w.other_campaign.pk}),
    Case(
        "oversight:assessment",
        "blank change of this town's assessment",
        expect(403, admin=422, office=422, other_office=404),
        kwargs=lambda w, u: {"pk": w.campaign.pk},
        method="post",
    ),
    Case(
        "oversight:assessment",
        "blank change of the other town's assessment",
        expect(404, admin=422, county_user=403, other_office=422),
        kwargs=lambda w, u: {"pk": w.other_campaign.pk},
        method="post",
    ),
    Case("oversight:assessment_export", "this town's assessment export", OWN, kwargs=lambda w, u: {"pk": w.campaign.pk}),
    Case("oversight:assessment_export", "other town's assessment export", FAR, kwargs=lambda w, u: {"pk": w.other_campaign.pk}),
]
