"""API: the 公示, the public notice and objections (API.md), over the same actions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from apps.campaigns.models import Campaign
from apps.core.fetch import fetch
from apps.core.views_helpers import client_ip
from apps.workdays.api import ErrorOut, IsoDate

from . import actions
from .choices import Channel
from .models import Notice, Objection
from .ratelimit import allow
from .views import public_entries

router = Router(tags=["公示与异议"])

OFFICE_ONLY = "只有镇党建办可以处理公示和异议。"


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
PUBLIC_ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class NoticeIn(Schema):
    start: IsoDate


class NoticeOut(Schema):
    id: int
    public_id: str
    public_url: str
    title: str
    start: dt.date
    end: dt.date
    nomination_ids: list[int]
    warnings: list[str]


class EntryOut(Schema):
    nomination_id: int
    name: str
    branch: str
    post: str
    deeds: str
    withdrawn: bool = Field(description="经核实异议属实，已撤销推荐")


class PublicNoticeOut(Schema):
    title: str
    start: dt.date
    end: dt.date
    days: int
    day_kind: str
    days_left: int
    entries: list[EntryOut]


class PublicObjectionIn(Schema):
    text: str = Field(max_length=actions.TEXT_MAX)
    name: str | None = Field(None, max_length=40)
    contact: str | None = Field(None, max_length=60)
    nomination_id: int | None = None


class TrackingOut(Schema):
    tracking_code: str


class TrackingStatusOut(Schema):
    status: Literal["open", "concluded"]
    outcome: str
    conclusion: str


class ObjectionOut(Schema):
    id: int
    notice_id: int
    nomination_id: int | None
    status: str
    outcome: str
    received_on: dt.date
    channel: str
    text: str
    name: str
    conclusion: str


class RecordIn(Schema):
    notice_id: int
    text: str = Field(max_length=actions.TEXT_MAX)
    received_on: IsoDate
    nomination_id: int | None = None
    channel: Literal["letter", "phone", "visit"] = Channel.LETTER.value
    name: str | None = Field(None, max_length=40)
    contact: str | None = Field(None, max_length=60)


class ConcludeIn(Schema):
    outcome: Literal["upheld", "dismissed"]
    conclusion: str = Field(max_length=actions.TEXT_MAX)
    nomination_id: int | None = None


def _notice_out(request, notice: Notice) -> dict:
    return {
        "id": notice.pk,
        "public_id": notice.public_id,
        "public_url": request.build_absolute_uri(notice.public_path()),
        "title": notice.title,
        "start": notice.start,
        "end": notice.end,
        "nomination_ids": sorted(notice.nominations.values_list("pk", flat=True)),
        "warnings": notice.warnings,
    }


def _objection_out(o: Objection) -> dict:
    return {
        "id": o.pk,
        "notice_id": o.notice_id,
        "nomination_id": o.nomination_id,
        "status": o.status,
        "outcome": o.outcome,
        "received_on": o.received_on,
        "channel": o.channel,
        "text": o.text,
        "name": o.name,
        "conclusion": o.conclusion,
    }


def _office(user) -> bool:
    return user.manages_town


@router.post("campaigns/{id}/notices", response={201: NoticeOut, **ERRORS}, summary="发布公示（镇党建办）")
def create_notice(request, id: int, payload: NoticeIn):
    """Posts the campaign's 参评名单 (nominations `listed`, not yet posted). `start` may be in the past;
    `end` follows from the campaign's notice length and day kind; `warnings` name unknown holiday years."""
    campaign = fetch(request.auth, Campaign.objects.select_related("town"), pk=id, may=_office, denied=OFFICE_ONLY)
    notice = actions.create_notice(request.auth, campaign, payload.start)
    return Status(201, _notice_out(request, notice))


def _public_notice(public_id: str) -> Notice:
    notice = Notice.objects.select_related("campaign__town").filter(public_id=public_id).first()
    if notice is None:
        raise HttpError(404, "未找到该公示。")
    return notice


@router.get("public/notices/{public_id}", auth=None, response={200: PublicNoticeOut, **PUBLIC_ERRORS}, summary="公示（公开，无需令牌）")
def public_notice(request, public_id: str):
    """Name, branch, post and deeds of each entry; never an ID number, phone or birth date."""
    notice = _public_notice(public_id)
    return {
        "title": notice.title,
        "start": notice.start,
        "end": notice.end,
        "days": notice.days,
        "day_kind": notice.day_kind,
        "days_left": notice.days_left(),
        "entries": public_entries(notice),
    }


@router.post(
    "public/notices/{public_id}/objections", auth=None, response={201: TrackingOut, **PUBLIC_ERRORS}, summary="提交异议（公开，无需令牌）"
)
def file_objection(request, public_id: str, payload: PublicObjectionIn):
    """Named or anonymous, during the period only (422 outside). At most 5 per client per hour (429).
    The tracking code is returned only here."""
    notice = _public_notice(public_id)
    if not allow("objection", client_ip(request)):
        raise HttpError(429, "提交过于频繁，请一小时后再试，或直接与镇党建办联系。")
    _, code = actions.file_objection(
        notice, payload.text, name=payload.name or "", contact=payload.contact or "", nomination_id=payload.nomination_id
    )
    return Status(201, {"tracking_code": code})


@router.get(
    "public/objections/{tracking_code}", auth=None, response={200: TrackingStatusOut, **PUBLIC_ERRORS}, summary="异议办理查询（公开）"
)
def track_objection(request, tracking_code: str):
    if not allow("tracking", client_ip(request), limit=30):
        raise HttpError(429, "查询过于频繁，请稍后再试。")
    objection = actions.find_by_tracking_code(tracking_code)
    if objection is None:
        raise HttpError(404, "未找到该查询码对应的异议。")
    return {"status": objection.status, "outcome": objection.outcome, "conclusion": objection.conclusion}


@router.get("campaigns/{id}/objections", response={200: list[ObjectionOut], **ERRORS}, summary="异议列表（镇党建办）")
def list_objections(request, id: int):
    campaign = fetch(request.auth, Campaign.objects, pk=id, may=_office, denied=OFFICE_ONLY)
    return [_objection_out(o) for o in Objection.objects.filter(notice__campaign=campaign).order_by("received_on", "pk")]


@router.post("campaigns/{id}/objections", response={201: ObjectionOut, **ERRORS}, summary="登记来信来电来访异议（镇党建办）")
def record_objection(request, id: int, payload: RecordIn):
    """`received_on` must lie within the notice's period."""
    campaign = fetch(request.auth, Campaign.objects, pk=id, may=_office, denied=OFFICE_ONLY)
    notice = Notice.objects.filter(campaign=campaign, pk=payload.notice_id).first()
    if notice is None:
        raise HttpError(422, "该公示不属于本年度示范行动。")
    objection = actions.record_objection(
        request.auth,
        notice,
        text=payload.text,
        received_on=payload.received_on,
        channel=payload.channel,
        nomination_id=payload.nomination_id,
        name=payload.name or "",
        contact=payload.contact or "",
    )
    return Status(201, _objection_out(objection))


@router.post("objections/{id}/conclude", response={200: ObjectionOut, **ERRORS}, summary="办结异议（镇党建办）")
def conclude_objection(request, id: int, payload: ConcludeIn):
    """upheld withdraws the nomination (its reason is the conclusion); dismissed leaves it listed.
    409 when the objection is already concluded."""
    objection = fetch(request.auth, Objection.objects.select_related("notice__campaign"), pk=id, may=_office, denied=OFFICE_ONLY)
    objection = actions.conclude_objection(request.auth, objection, payload.outcome, payload.conclusion, payload.nomination_id)
    return Status(200, _objection_out(objection))
