"""API rows: the branch proposal, submission, reopening, review and the 参评名单."""

from __future__ import annotations

import datetime as dt

from apps.nominations import actions
from apps.nominations.choices import Decision

from ..build_nominations import concluded_meeting, proposal_data, proposed, submitted
from ..matrix import Op, api_expect


def _meeting(w):
    w.nom_meeting = concluded_meeting(w.campaign, w.village)
    return {"id": w.nom_meeting.pk}


def _proposal_body(w):
    data = proposal_data(w.nom_meeting)
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}


def _proposal(w):
    return {"id": proposed(w.secretary, w.campaign, w.village).pk}


def _submitted_nomination(w):
    return {"id": submitted(w.secretary, w.campaign, w.village).nominations.first().pk}


def _approved(w):
    nomination = submitted(w.secretary, w.campaign, w.village, recommended=1).nominations.get()
    actions.decide_nomination(w.approver, nomination, Decision.APPROVE)
    return {"id": w.campaign.pk}


def _reopening_body(org_attr: str, campaign_attr: str):
    def body(w):
        deadline = getattr(w, campaign_attr).deadline
        return {"org_id": getattr(w, org_attr).pk, "until": (deadline + dt.timedelta(days=3)).isoformat(), "reason": "村两委换届"}

    return body


OPS = [
    Op(
        "post",
        "/api/v1/meetings/{id}/proposal",
        api_expect(403, admin=201, office=201, secretary=201, secretary2=404, other_office=404),
        params=_meeting,
        body=_proposal_body,
    ),
    Op(
        "post",
        "/api/v1/proposals/{id}/submit",
        api_expect(403, admin=200, office=200, secretary=200, secretary2=404, inspector=404, county_user=404, other_office=404),
        params=_proposal,
    ),
    Op(
        "post",
        "/api/v1/campaigns/{id}/reopenings",
        api_expect(403, admin=201, office=201, other_office=404),
        params=lambda w: {"id": w.campaign.pk},
        body=_reopening_body("village", "campaign"),
    ),
    Op(
        "post",
        "/api/v1/campaigns/{id}/reopenings",
        api_expect(404, admin=201, county_user=403, other_office=201),
        params=lambda w: {"id": w.other_campaign.pk},
        body=_reopening_body("far_village", "other_campaign"),
        label="[other town]",
    ),
    Op("get", "/api/v1/campaigns/{id}/nominations", api_expect(200, other_office=404), params=lambda w: {"id": w.campaign.pk}),
    Op(
        "get",
        "/api/v1/campaigns/{id}/nominations",
        api_expect(404, admin=200, county_user=200, other_office=200),
        params=lambda w: {"id": w.other_campaign.pk},
        label="[other town]",
    ),
    Op(
        "post",
        "/api/v1/nominations/{id}/decision",
        api_expect(404, approver=200, admin=403, office=403, secretary=403),
        params=_submitted_nomination,
        body=lambda w: {"decision": "approve", "reason": ""},
    ),
    Op(
        "post",
        "/api/v1/campaigns/{id}/county-list",
        api_expect(403, admin=201, office=201, other_office=404),
        params=_approved,
    ),
]
