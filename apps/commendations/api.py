"""API: the commendation decision (API.md), over the same action as the page."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status
from pydantic import Field

from apps.campaigns.models import Campaign
from apps.core.fetch import fetch
from apps.workdays.api import ErrorOut, IsoDate

from . import actions

router = Router(tags=["表彰奖励"])


class CommendationIn(Schema):
    doc_number: str = Field(max_length=60)
    date: IsoDate


class CommendationEntryOut(Schema):
    nomination_id: int
    member_id: int
    certificate_no: str


class CommendationOut(Schema):
    id: int
    doc_number: str
    date: dt.date
    entries: list[CommendationEntryOut]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post("campaigns/{id}/commendations", response={201: CommendationOut, **ERRORS}, summary="作出表彰决定（审批权限）")
def commend(request, id: int, payload: CommendationIn):
    """422 while a notice period runs or an objection is open (the blockers name them); 409 when the
    campaign already has its decision. Certificates are numbered "<镇名>-<年度>-<序号>"."""
    campaign = fetch(
        request.auth,
        Campaign.objects.select_related("town"),
        pk=id,
        may=lambda u: u.may_approve,
        denied="只有镇党委审批人员可以作出表彰决定。",
    )
    decision = actions.commend(request.auth, campaign, payload.doc_number, payload.date)
    entries = [
        {"nomination_id": n.pk, "member_id": n.member_id, "certificate_no": n.certificate_no}
        for n in decision.nominations.order_by("certificate_no")
    ]
    return Status(201, {"id": decision.pk, "doc_number": decision.doc_number, "date": decision.date, "entries": entries})
