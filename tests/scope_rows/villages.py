"""Page rows: 示范村 designation, groups, inspection, evidence, finalize, reopen, report and county decision."""

from __future__ import annotations

from apps.core import clock

from ..build_villages import finalized, grouped, reported, roomy, stored_evidence
from ..matrix import Case, expect, get_and_post


def _campaign(w, user):
    roomy(w.campaign)
    return {"pk": w.campaign.pk}


def _candidate(w, user):
    return {"pk": grouped(w).pk}


def _other_group(w, user):
    grouped(w)
    return {"pk": w.candidate2.pk}


def _finalized(w, user):
    return {"pk": finalized(w).pk}


def _finalized_campaign(w, user):
    finalized(w)
    return {"pk": w.campaign.pk}


def _reported(w, user):
    return {"pk": reported(w).pk}


def _evidence(w, user):
    return {"pk": stored_evidence(grouped(w)).pk}


def _other_evidence(w, user):
    grouped(w)
    return {"pk": stored_evidence(w.candidate2).pk}


def _reported_evidence(w, user):
    return {"pk": stored_evidence(reported(w)).pk}


TOWN = expect(403, admin=200, office=200, other_office=404)
TOWN_POST = expect(403, admin=302, office=302, other_office=404)
# The candidate 东岭村 is inspected by w.inspector's group; 南坑村 (secretary2's) by another group.
SEES_CANDIDATE = expect(200, secretary2=404, other_office=404)
INSPECTOR_PAGE = expect(403, admin=200, inspector=200, secretary2=404, other_office=404)
INSPECTOR_POST = expect(403, admin=302, inspector=302, secretary2=404, other_office=404)
OTHER_GROUP = {"inspector": 404, "secretary": 404, "secretary2": 403}

CASES = [
    Case("villages:villages_current", "current campaign's villages", expect(302, admin=200, county_user=200)),
    Case("villages:campaign_villages", "this town's villages", expect(200, other_office=404), kwargs=_campaign),
    Case(
        "villages:campaign_villages",
        "designate (blank form)",
        expect(403, admin=200, office=200, approver=200, other_office=404),
        kwargs=_campaign,
        method="post",
    ),
    Case(
        "villages:campaign_villages",
        "other town's villages",
        expect(404, admin=200, county_user=200, other_office=200),
        kwargs=lambda w, user: {"pk": w.other_campaign.pk},
        secret=lambda w: w.far_village.name,
    ),
    Case("villages:campaign_scale", "scale of this town", TOWN_POST, kwargs=_campaign, method="post"),
    *get_and_post("villages:group_create", "group of this town", TOWN, kwargs=_campaign),
    Case("villages:village_report", "report to the county", TOWN_POST, kwargs=_finalized_campaign, method="post"),
    Case("villages:candidate_detail", "东岭村 (the inspector's group)", SEES_CANDIDATE, kwargs=_candidate, secret=lambda w: w.village.name),
    Case(
        "villages:candidate_detail",
        "南坑村 (another group)",
        SEES_CANDIDATE | {"inspector": 404, "secretary": 404, "secretary2": 200},
        kwargs=_other_group,
        secret=lambda w: w.village2.name,
    ),
    *get_and_post("villages:inspection_edit", "inspection of 东岭村", INSPECTOR_PAGE, kwargs=_candidate),
    *get_and_post("villages:inspection_edit", "inspection of another group", INSPECTOR_PAGE | OTHER_GROUP, kwargs=_other_group),
    Case("villages:evidence_upload", "upload to 东岭村 (no file)", INSPECTOR_POST, kwargs=_candidate, method="post"),
    Case("villages:evidence_upload", "upload to another group", INSPECTOR_POST | OTHER_GROUP, kwargs=_other_group, method="post"),
    Case("villages:finalize", "finalize 东岭村", INSPECTOR_POST, kwargs=_candidate, method="post"),
    Case("villages:finalize", "finalize another group's", INSPECTOR_POST | OTHER_GROUP, kwargs=_other_group, method="post"),
    Case(
        "villages:reopen",
        "reopen 东岭村",
        expect(403, admin=302, office=302, secretary2=404, other_office=404),
        kwargs=_finalized,
        method="post",
    ),
    *get_and_post(
        "villages:county_decision",
        "decision on reported 东岭村",
        expect(403, admin=200, county_user=200, secretary2=404, other_office=404),
        kwargs=_reported,
    ),
    Case(
        "villages:evidence_download",
        "evidence of 东岭村 (not reported)",
        expect(200, secretary2=404, county_user=404, other_office=404),
        kwargs=_evidence,
    ),
    Case(
        "villages:evidence_download",
        "evidence of another group's village",
        expect(200, secretary=404, inspector=404, county_user=404, other_office=404),
        kwargs=_other_evidence,
    ),
    Case(
        "villages:evidence_download",
        "evidence of reported 东岭村",
        expect(200, secretary2=404, other_office=404),
        kwargs=_reported_evidence,
    ),
]


def _plaqued(w, user):
    from ..build_villages import plaqued

    return {"pk": plaqued(w).pk}


def _commended(w, user):
    from ..build_villages import commended_post

    return {"pk": commended_post(w).pk}


CASES += [
    Case("villages:plaque_registry", "plaque registry", expect(200)),
    Case(
        "villages:revoke_village",
        "revoke 东岭村's plaque (blank form)",
        expect(403, admin=302, county_user=302, secretary2=404, other_office=404),
        kwargs=_plaqued,
        method="post",
    ),
    Case(
        "villages:revoke_post",
        "revoke a 示范岗 certificate (blank form)",
        expect(403, admin=302, approver=302, secretary2=404, inspector=404, other_office=404),
        kwargs=_commended,
        method="post",
    ),
]


def _designated_only(w, user):
    from ..build_villages import designated

    return {"pk": designated(w, w.village)[0].pk}


CASES += [
    Case(
        "villages:withdraw",
        "withdraw 东岭村 (no reason: refused, back to the page)",
        # Not yet in a group: no inspector sees it.
        expect(403, admin=302, office=302, approver=302, secretary2=404, inspector=404, other_office=404),
        kwargs=_designated_only,
        method="post",
    ),
    Case("villages:evidence_delete", "delete evidence of 东岭村", INSPECTOR_POST | {"county_user": 404}, kwargs=_evidence, method="post"),
    Case(
        "villages:evidence_delete",
        "delete evidence of another group's village",
        INSPECTOR_POST | OTHER_GROUP | {"county_user": 404, "secretary2": 403},
        kwargs=_other_evidence,
        method="post",
    ),
]

CASES += get_and_post(
    "villages:self_assessment",
    "self-assessment of the secretary's village",
    expect(403, secretary=200, secretary2=200, other_office=404),
    kwargs=lambda w, user: {"pk": w.campaign.pk},
)
CASES += [
    Case(
        "villages:self_assessment",
        "self-assessment in the other town",
        expect(404, admin=403, county_user=403, other_office=403),
        kwargs=lambda w, user: {"pk": w.other_campaign.pk},
    )
]


def _last_years_village(w, user):
    from ..build_villages import awarded_last_year

    return {"pk": awarded_last_year(w)[0].pk}


def _last_years_post(w, user):
    from ..build_villages import awarded_last_year

    return {"pk": awarded_last_year(w)[1].pk}


def _rectifying_review(w, user):
    import datetime as _dt

    from apps.villages.registry import record_review

    from ..build_villages import awarded_last_year, review_data

    village, _ = awarded_last_year(w)
    review = record_review(w.office, village, review_data(conclusion="rectify", due_date=clock.today() + _dt.timedelta(days=30)))
    return {"pk": review.pk}


# The plaque of 东岭村 (w.inspector's group inspected it) and its 示范岗 certificate: seen as the village and the
# nomination are; reviews recorded by the town office, a 示范村's also by the county, a 示范岗's also by the approver.
SEES_VILLAGE_PLAQUE = expect(200, secretary2=404, other_office=404)
SEES_POST_PLAQUE = expect(200, inspector=404, secretary2=404, other_office=404)
CASES += [
    Case("villages:plaque_export", "plaque registry (.xlsx)", expect(200)),
    Case("villages:plaque_village", "东岭村's plaque", SEES_VILLAGE_PLAQUE, kwargs=_last_years_village, secret=lambda w: "SFC-1"),
    Case(
        "villages:plaque_village",
        "review 东岭村's plaque (blank form)",
        SEES_VILLAGE_PLAQUE | {"approver": 403, "secretary": 403, "inspector": 403},
        kwargs=_last_years_village,
        method="post",
    ),
    Case("villages:plaque_post", "a 示范岗 certificate", SEES_POST_PLAQUE, kwargs=_last_years_post, secret=lambda w: "东岭镇-2026-001"),
    Case(
        "villages:plaque_post",
        "review a 示范岗 certificate (blank form)",
        SEES_POST_PLAQUE | {"county_user": 403, "secretary": 403},
        kwargs=_last_years_post,
        method="post",
    ),
    Case(
        "villages:review_follow_up",
        "follow-up of 东岭村's 限期整改 (blank form)",
        SEES_VILLAGE_PLAQUE | {"approver": 403, "secretary": 403, "inspector": 403},
        kwargs=_rectifying_review,
        method="post",
    ),
]
