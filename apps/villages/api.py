"""API (API.md "示范村"): designation, the inspection group, the inspection with evidence, finalizing, the
town's report to the county and the county's decision, over the same actions as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum

from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from apps.api.schemas import WRITE_ERRORS, Id, decimal_text
from apps.api.schemas import text as Text
from apps.campaigns.models import Campaign
from apps.core.actions import ActionError
from apps.core.fetch import fetch
from apps.orgs.models import Organization

from . import actions
from .choices import Conclusion
from .models import VillageCandidate

router = Router(tags=["共产党员示范村"])
# Optional in the schema so that an out-of-scope caller gets its 404 (and a missing file the Chinese 422).
OPTIONAL_FILE = File(None)

ConclusionEnum = Enum("ConclusionEnum", {c.name: c.value for c in Conclusion}, type=str)


class DesignationIn(Schema):
    org_ids: list[Id] = Field(max_length=500)


class VillageCandidateOut(Schema):
    id: int
    org_id: int
    status: str


class GroupIn(Schema):
    name: Text(60, min_length=1)
    leader_user_id: Id
    member_user_ids: list[Id] = Field(default_factory=list, max_length=100)
    village_candidate_ids: list[Id] = Field(default_factory=list, max_length=500)


class GroupOut(Schema):
    id: int
    campaign_id: int
    name: str
    leader_user_id: int
    member_user_ids: list[int]
    village_candidate_ids: list[int]


class FindingIn(Schema):
    criterion_order: int = Field(ge=1, le=1000)
    text: Text(5000) = ""
    score: Decimal = Field(ge=0, le=1000, max_digits=6, decimal_places=1)


class InspectionIn(Schema):
    visit_dates: list[dt.date] = Field(max_length=30)
    people_met: Text(2000) = ""
    findings: list[FindingIn] = Field(default_factory=list, max_length=100)
    conclusion: ConclusionEnum | None = None
    signatures: Text(2000) | None = None
    report_text: Text(50000) | None = None


class FindingOut(Schema):
    criterion_order: int
    title: str
    text: str
    score: str


class InspectionOut(Schema):
    id: int
    village_candidate_id: int
    status: str
    visit_dates: list[dt.date]
    people_met: str
    findings: list[FindingOut]
    conclusion: str
    signatures: str
    report_text: str
    finalized_at: dt.datetime | None


class EvidenceOut(Schema):
    id: int
    name: str
    size: int


class ReportOut(Schema):
    village_candidate_ids: list[int]


class CountyDecisionIn(Schema):
    approved: bool
    date: dt.date
    note: Text(2000) = ""
    plaque_no: Text(40) | None = None


class CountyDecisionOut(Schema):
    id: int
    status: str
    decision_date: dt.date | None
    decision_note: str
    plaque_no: str
    plaque_date: dt.date | None


def _inspection_out(candidate: VillageCandidate) -> dict:
    candidate.refresh_from_db()
    inspection = candidate.inspection
    return {
        "id": inspection.pk,
        "village_candidate_id": candidate.pk,
        "status": candidate.status,
        "visit_dates": inspection.visit_dates,
        "people_met": inspection.people_met,
        "findings": [
            {"criterion_order": f.criterion.order, "title": f.criterion.title, "text": f.text, "score": decimal_text(f.score)}
            for f in inspection.findings.select_related("criterion").order_by("criterion__order")
        ],
        "conclusion": inspection.conclusion,
        "signatures": inspection.signatures,
        "report_text": inspection.report_text,
        "finalized_at": inspection.finalized_at,
    }


def _candidate(request, id: int, may) -> VillageCandidate:
    return fetch(request.auth, VillageCandidate.objects.select_related("campaign__town", "org", "group"), may=may, pk=id)


@router.post(
    "campaigns/{id}/village-candidates",
    response={201: list[VillageCandidateOut], **WRITE_ERRORS},
    summary="确定示范村候选村（不超过示范村名额）",
)
def designate(request, id: int, payload: DesignationIn):
    campaign = fetch(request.auth, Campaign.objects.select_related("town"), may=actions.may_designate, pk=id)
    ids = list(dict.fromkeys(payload.org_ids))
    orgs = {o.pk: o for o in Organization.objects.visible_to(request.auth).filter(pk__in=ids)}
    unknown = [i for i in ids if i not in orgs]
    if unknown:
        raise ActionError(["编号 " + "、".join(str(i) for i in unknown) + " 不是本镇的村党组织，不能确定为示范村候选。"])
    created = actions.designate_villages(request.auth, campaign, [orgs[i] for i in ids])
    return Status(201, [{"id": c.pk, "org_id": c.org_id, "status": c.status} for c in created])


@router.post("campaigns/{id}/inspection-groups", response={201: GroupOut, **WRITE_ERRORS}, summary="组建党建调研督查组并分配考察村")
def form_group(request, id: int, payload: GroupIn):
    campaign = fetch(request.auth, Campaign.objects.select_related("town"), may=actions.may_manage, pk=id)
    group = actions.form_group(request.auth, campaign, payload.dict())
    return Status(
        201,
        {
            "id": group.pk,
            "campaign_id": campaign.pk,
            "name": group.name,
            "leader_user_id": group.leader_id,
            "member_user_ids": sorted(group.members.values_list("pk", flat=True)),
            "village_candidate_ids": sorted(group.candidates.values_list("pk", flat=True)),
        },
    )


@router.post(
    "village-candidates/{id}/inspection", response={200: InspectionOut, **WRITE_ERRORS}, summary="填写考察记录（定稿前可重复提交替换）"
)
def save_inspection(request, id: int, payload: InspectionIn):
    candidate = _candidate(request, id, actions.may_inspect)
    data = payload.dict(exclude_none=True)
    data["conclusion"] = payload.conclusion.value if payload.conclusion else ""
    actions.save_inspection(request.auth, candidate, data)
    return _inspection_out(candidate)


@router.post(
    "village-candidates/{id}/evidence",
    response={201: EvidenceOut, **WRITE_ERRORS},
    summary="上传考察佐证材料（JPEG、PNG、PDF；按内容识别）",
)
def upload_evidence(request, id: int, file: UploadedFile | None = OPTIONAL_FILE):
    candidate = _candidate(request, id, actions.may_inspect)
    evidence = actions.upload_evidence(request.auth, candidate, file)
    return Status(201, {"id": evidence.pk, "name": evidence.name, "size": evidence.size})


@router.post("village-candidates/{id}/finalize", response={200: InspectionOut, **WRITE_ERRORS}, summary="考察报告定稿（此后只读）")
def finalize(request, id: int):
    candidate = _candidate(request, id, actions.may_inspect)
    actions.finalize_inspection(request.auth, candidate)
    return _inspection_out(candidate)


@router.post("campaigns/{id}/village-report", response={201: ReportOut, **WRITE_ERRORS}, summary="向县委组织部报送建议命名的示范村")
def report(request, id: int):
    campaign = fetch(request.auth, Campaign.objects.select_related("town"), may=actions.may_manage, pk=id)
    reported = actions.report_villages(request.auth, campaign)
    return Status(201, {"village_candidate_ids": [c.pk for c in reported]})


@router.post(
    "village-candidates/{id}/county-decision", response={200: CountyDecisionOut, **WRITE_ERRORS}, summary="县委组织部审定示范村并登记授牌"
)
def county_decision(request, id: int, payload: CountyDecisionIn):
    candidate = _candidate(request, id, actions.may_decide)
    c = actions.decide_village(request.auth, candidate, payload.approved, payload.date, payload.note, payload.plaque_no or "")
    return {
        "id": c.pk,
        "status": c.status,
        "decision_date": c.decision_date,
        "decision_note": c.decision_note,
        "plaque_no": c.plaque_no,
        "plaque_date": c.plaque_date,
    }
