"""API (API.md "示范岗: proposal, submission, review"): the branch committee's proposal, submission,
reopening, the town's decision and the 参评名单, over the same actions as the pages."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from django.http import Http404
from ninja import Router, Schema
from ninja.responses import Status

from apps.api.schemas import READ_ERRORS, WRITE_ERRORS
from apps.campaigns.models import Campaign
from apps.core.fetch import fetch
from apps.meetings.models import Meeting
from apps.orgs.models import Organization

from . import actions
from .choices import Decision, NominationStatus
from .models import Nomination, Proposal

router = Router(tags=["示范岗推荐与审批"])

StatusEnum = Enum("StatusEnum", {s.name: s.value for s in NominationStatus}, type=str)
DecisionEnum = Enum("DecisionEnum", {d.name: d.value for d in Decision}, type=str)


class ProposalIn(Schema):
    committee_date: dt.date
    committee_attendees: str
    candidate_ids: list[int]
    opinion: str
    publicity_start: dt.date
    publicity_end: dt.date


class NominationBrief(Schema):
    id: int
    candidate_id: int
    member_id: int
    status: str


class ProposalOut(Schema):
    id: int
    meeting_id: int
    org_id: int
    committee_date: dt.date
    committee_attendees: str
    opinion: str
    publicity_start: dt.date
    publicity_end: dt.date
    submitted_at: dt.datetime | None
    nominations: list[NominationBrief]


class ReopeningIn(Schema):
    org_id: int
    until: dt.date
    reason: str


class ReopeningOut(Schema):
    id: int
    campaign_id: int
    org_id: int
    until: dt.date
    reason: str


class NominationOut(Schema):
    id: int
    org_id: int
    org_name: str
    member_id: int
    name: str
    candidate_id: int
    proposal_id: int
    post: str
    status: str
    submitted_at: dt.datetime | None
    listed_at: dt.datetime | None


class DecisionIn(Schema):
    decision: DecisionEnum
    reason: str = ""


class DecisionOut(Schema):
    id: int
    status: str
    decision: str
    reason: str
    decided_by: str
    decided_at: dt.datetime


class CountyListOut(Schema):
    nomination_ids: list[int]


def _proposal_out(proposal: Proposal) -> dict:
    return {
        "id": proposal.pk,
        "meeting_id": proposal.meeting_id,
        "org_id": proposal.org_id,
        "committee_date": proposal.committee_date,
        "committee_attendees": proposal.committee_attendees,
        "opinion": proposal.opinion,
        "publicity_start": proposal.publicity_start,
        "publicity_end": proposal.publicity_end,
        "submitted_at": proposal.submitted_at,
        "nominations": [
            {"id": n.pk, "candidate_id": n.candidate_id, "member_id": n.member_id, "status": n.status}
            for n in proposal.nominations.order_by("pk")
        ],
    }


@router.post(
    "meetings/{id}/proposal",
    response={201: ProposalOut, **WRITE_ERRORS},
    summary="支委会确定推荐对象（报送前可再次提交以修改）",
)
def create_proposal(request, id: int, payload: ProposalIn):
    """201 each time (API.md): posted again before submission, the same proposal is revised and returned."""
    meeting = fetch(request.auth, Meeting.objects.select_related("campaign"), may=actions.may_propose, pk=id)
    return Status(201, _proposal_out(actions.create_proposal(request.auth, meeting, payload.dict())))


@router.post("proposals/{id}/submit", response={200: ProposalOut, **WRITE_ERRORS}, summary="报送镇党委（退回的推荐对象修改后同样重新报送）")
def submit_proposal(request, id: int):
    proposal = fetch(request.auth, Proposal.objects, may=actions.may_propose, pk=id)
    return _proposal_out(actions.submit_proposal(request.auth, proposal))


@router.post("campaigns/{id}/reopenings", response={201: ReopeningOut, **WRITE_ERRORS}, summary="准予支部延期报送")
def reopen_branch(request, id: int, payload: ReopeningIn):
    campaign = fetch(request.auth, Campaign.objects.select_related("town"), may=actions.may_reopen, pk=id)
    org = Organization.objects.visible_to(request.auth).filter(pk=payload.org_id).first()
    if org is None:
        raise Http404
    reopening = actions.reopen_branch(request.auth, campaign, org, payload.until, payload.reason)
    return Status(
        201, {"id": reopening.pk, "campaign_id": campaign.pk, "org_id": org.pk, "until": reopening.until, "reason": reopening.reason}
    )


@router.get("campaigns/{id}/nominations", response={200: list[NominationOut], **READ_ERRORS}, summary="示范岗推荐对象（可按状态筛选）")
def list_nominations(request, id: int, status: StatusEnum | None = None):
    campaign = fetch(request.auth, Campaign.objects, pk=id)
    qs = Nomination.objects.visible_to(request.auth).filter(campaign=campaign).select_related("member", "org", "candidate")
    if status is not None:
        qs = qs.filter(status=status.value)
    return [
        {
            "id": n.pk,
            "org_id": n.org_id,
            "org_name": n.org.name,
            "member_id": n.member_id,
            "name": n.member.name,
            "candidate_id": n.candidate_id,
            "proposal_id": n.proposal_id,
            "post": n.candidate.post,
            "status": n.status,
            "submitted_at": n.submitted_at,
            "listed_at": n.listed_at,
        }
        for n in qs
    ]


@router.post("nominations/{id}/decision", response={200: DecisionOut, **WRITE_ERRORS}, summary="镇党委审批：同意或退回（退回须写明理由）")
def decide_nomination(request, id: int, payload: DecisionIn):
    nomination = fetch(request.auth, Nomination.objects, may=actions.may_decide, pk=id)
    review = actions.decide_nomination(request.auth, nomination, payload.decision.value, payload.reason)
    return {
        "id": nomination.pk,
        "status": review.nomination.status,
        "decision": review.decision,
        "reason": review.reason,
        "decided_by": str(review.decided_by),
        "decided_at": review.decided_at,
    }


@router.post("campaigns/{id}/county-list", response={201: CountyListOut, **WRITE_ERRORS}, summary="报送县委组织部参评名单")
def form_county_list(request, id: int):
    campaign = fetch(request.auth, Campaign.objects.select_related("town"), may=actions.may_reopen, pk=id)
    listed = actions.form_county_list(request.auth, campaign)
    return Status(201, {"nomination_ids": [n.pk for n in listed]})
