"""API rows: 示范村 designation, the inspection group, inspection, evidence, finalize, report and decision."""

from __future__ import annotations

from apps.core import clock

from ..build_villages import designated, finalized, grouped, inspected, inspection_data, reported, roomy
from ..matrix import Op, api_expect


def _roomy_campaign(w):
    roomy(w.campaign)
    return {"id": w.campaign.pk}


def _designated(w):
    w.vc = designated(w, w.village)
    return {"id": w.campaign.pk}


def _grouped(w):
    return {"id": grouped(w).pk}


def _other_group(w):
    grouped(w)
    return {"id": w.candidate2.pk}


def _inspected(w):
    return {"id": inspected(w).pk}


def _finalized_campaign(w):
    finalized(w)
    return {"id": w.campaign.pk}


def _finalized(w):
    return {"id": finalized(w).pk}


def _reported(w):
    return {"id": reported(w).pk}


def _decision(w):
    return {"approved": True, "date": clock.today().isoformat(), "note": "同意命名", "plaque_no": "SFC-1"}


INSPECTORS = api_expect(403, admin=200, inspector=200, secretary2=404, other_office=404)
TOWN_OFFICE = api_expect(403, admin=201, office=201, other_office=404)

OPS = [
    Op(
        "post",
        "/api/v1/campaigns/{id}/village-candidates",
        api_expect(403, admin=201, office=201, approver=201, other_office=404),
        params=_roomy_campaign,
        body=lambda w: {"org_ids": [w.village.pk]},
    ),
    Op(
        "post",
        "/api/v1/campaigns/{id}/inspection-groups",
        TOWN_OFFICE,
        params=_designated,
        body=lambda w: {
            "name": "第一督查组",
            "leader_user_id": w.inspector.pk,
            "member_user_ids": [],
            "village_candidate_ids": [w.vc[0].pk],
        },
    ),
    Op("post", "/api/v1/village-candidates/{id}/inspection", INSPECTORS, params=_grouped, body=inspection_data),
    Op(
        "post",
        "/api/v1/village-candidates/{id}/inspection",
        api_expect(403, admin=200, inspector=404, secretary=404, other_office=404),
        params=_other_group,
        body=inspection_data,
        label=" (another group's village)",
    ),
    # A JSON body carries no file: whoever may upload gets the Chinese 422, the others 403/404 first.
    Op("post", "/api/v1/village-candidates/{id}/evidence", INSPECTORS | {"admin": 422, "inspector": 422}, params=_grouped),
    Op(
        "post",
        "/api/v1/village-candidates/{id}/evidence",
        api_expect(403, admin=422, inspector=404, secretary=404, other_office=404),
        params=_other_group,
        label=" (another group's village)",
    ),
    Op("post", "/api/v1/village-candidates/{id}/finalize", INSPECTORS, params=_inspected),
    Op("post", "/api/v1/campaigns/{id}/village-report", TOWN_OFFICE, params=_finalized_campaign),
    Op(
        "post",
        "/api/v1/village-candidates/{id}/county-decision",
        api_expect(403, admin=200, county_user=200, secretary2=404, other_office=404),
        params=_reported,
        body=_decision,
    ),
    Op(
        "post",
        "/api/v1/village-candidates/{id}/county-decision",
        api_expect(403, admin=422, county_user=422, secretary2=404, other_office=404),
        params=_finalized,
        body=_decision,
        label=" (not reported yet)",
    ),
]

OPS += [
    Op("get", f"/api/v1/village-candidates/{{id}}/report.{fmt}", api_expect(200, secretary2=404, other_office=404), params=_grouped)
    for fmt in ("pdf", "docx")
]
OPS += [
    Op(
        "get",
        "/api/v1/village-candidates/{id}/report.pdf",
        api_expect(200, inspector=404, secretary=404, other_office=404),
        params=_other_group,
        label=" (another group's village)",
    )
]
