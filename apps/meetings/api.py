"""API: the branch general meeting and democratic recommendation (API.md "示范岗: branch general meeting").

Thin layer over apps/meetings/actions.py: the same functions as the pages, fetched through visible_to."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from apps.api.schemas import PUBLIC_ERRORS, READ_ERRORS, WRITE_ERRORS, Id
from apps.campaigns.models import Campaign
from apps.core.fetch import fetch
from apps.core.numbers import plain
from apps.core.views_helpers import client_ip
from apps.orgs.models import Member, Organization

from . import actions, ballot_limit
from .choices import RoundStatus
from .models import Meeting, PollRound

router = Router(tags=["支部党员大会与民主推荐"])


class MeetingIn(Schema):
    org_id: int
    date: dt.date
    place: str = Field(max_length=100)
    chair: str = Field(max_length=40)
    recorder: str = Field(max_length=40)
    method: Literal["electronic", "paper"] = "electronic"


class QuotaOut(Schema):
    formal_members: int | None
    percent: str | None
    value: int | None
    explain: str


class AttendanceOut(Schema):
    member_id: int
    name: str
    presence: str
    reason: str
    is_voter: bool


class CriterionStatement(Schema):
    order: int
    title: str = ""
    text: str


class CandidateOut(Schema):
    id: int
    member_id: int
    name: str
    post: str
    deeds: str
    criteria: list[CriterionStatement]
    warnings: list[str]


class ResultOut(Schema):
    candidate_id: int
    votes: int
    passed: bool
    recommended: bool
    tied: bool


class RoundOut(Schema):
    round: int
    status: str
    max_choices: int
    candidate_ids: list[int]
    issued: int
    used: int
    valid: int | None = None
    invalid: int | None = None
    results: list[ResultOut] | None = None


class MeetingOut(Schema):
    id: int
    campaign_id: int
    org_id: int
    status: str
    date: dt.date
    place: str
    chair: str
    recorder: str
    method: str
    expected_voters: int | None
    present_voters: int | None
    quorate: bool | None
    quota: QuotaOut
    attendance: list[AttendanceOut]
    candidates: list[CandidateOut]
    rounds: list[RoundOut]
    recommended: list[int]


class Reasoned(Schema):
    member_id: int
    reason: str = Field("", max_length=100)


class AttendanceIn(Schema):
    present: list[int] = []
    absent: list[Reasoned] = []
    excused: list[Reasoned] = []


class CriterionIn(Schema):
    order: int
    text: str = Field(max_length=2000)


class CandidateIn(Schema):
    member_id: int
    post: str = Field("", max_length=100)
    deeds: str = Field(max_length=5000)
    criteria: list[CriterionIn] = []
    confirm_missing_appraisal: bool = False


class CandidateCreated(Schema):
    id: int
    member_id: int
    warnings: list[str]


class PollOpened(Schema):
    round: int
    max_choices: int
    candidate_ids: list[int]
    codes: list[str]
    vote_url: str


class PollState(Schema):
    round: int
    status: Literal["open", "closed"]
    issued: int
    used: int
    results: list[ResultOut] | None = None


class RoundClosed(Schema):
    round: int
    issued: int
    used: int
    valid: int | None = None
    invalid: int | None = None
    results: list[ResultOut]
    recommended: list[int]
    tie: list[int]


class BallotIn(Schema):
    code: str = Field(max_length=100)
    choices: list[int] = []


class BallotAccepted(Schema):
    accepted: bool
    detail: str


class TallyIn(Schema):
    teller: Literal["counter", "scrutineer"]
    teller_name: str = Field("", max_length=40)
    issued: int = Field(ge=0)
    returned: int = Field(ge=0)
    valid: int = Field(ge=0)
    invalid: int = Field(ge=0)
    votes: dict[Id, int] = {}  # candidate id → votes; an id beyond a 64-bit integer is a 400, not a database error


class TallyOut(Schema):
    """While one teller's entry waits for the other: round, teller, status "open". Once both agree the round
    closes "with results as above" (API.md): the fields of poll/close at the top level, and the same again
    under `result`."""

    round: int
    teller: str
    status: Literal["open", "closed"]
    issued: int | None = None
    used: int | None = None
    valid: int | None = None
    invalid: int | None = None
    results: list[ResultOut] | None = None
    recommended: list[int] | None = None
    tie: list[int] | None = None
    result: RoundClosed | None = None


def _results(rnd: PollRound) -> list[dict]:
    return [
        {"candidate_id": r.candidate_id, "votes": r.votes, "passed": r.passed, "recommended": r.recommended, "tied": r.tied}
        for r in rnd.results.order_by("-votes", "candidate_id")
    ]


def _round(rnd: PollRound) -> dict:
    issued, used = actions.poll_counts(rnd)
    closed = rnd.status == RoundStatus.CLOSED
    return {
        "round": rnd.number,
        "status": rnd.status,
        "max_choices": rnd.max_choices,
        "candidate_ids": sorted(c.pk for c in rnd.candidates.all()),
        "issued": issued,
        "used": used,
        "valid": rnd.valid if closed else None,
        "invalid": rnd.invalid if closed else None,
        "results": _results(rnd) if closed else None,
    }


def meeting_out(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "campaign_id": meeting.campaign_id,
        "org_id": meeting.org_id,
        "status": meeting.status,
        "date": meeting.date,
        "place": meeting.place,
        "chair": meeting.chair,
        "recorder": meeting.recorder,
        "method": meeting.method,
        "expected_voters": meeting.expected_voters,
        "present_voters": meeting.present_voters,
        "quorate": meeting.quorate,
        "quota": {
            "formal_members": meeting.quota_formal_members,
            "percent": plain(meeting.quota_percent) if meeting.quota_percent is not None else None,
            "value": meeting.quota_value,
            "explain": meeting.quota_explain,
        },
        "attendance": [
            {"member_id": a.member_id, "name": a.member.name, "presence": a.presence, "reason": a.reason, "is_voter": a.is_voter}
            for a in meeting.attendance.select_related("member").order_by("member__name", "member_id")
        ],
        "candidates": [
            {
                "id": c.pk,
                "member_id": c.member_id,
                "name": c.member.name,
                "post": c.post,
                "deeds": c.deeds,
                "criteria": c.criteria,
                "warnings": c.warnings,
            }
            for c in meeting.candidates.select_related("member")
        ],
        "rounds": [_round(r) for r in meeting.rounds.prefetch_related("candidates")],
        "recommended": actions.recommended_ids(meeting),
    }


def _meeting(request, pk: int, *, manage: bool = True) -> Meeting:
    return fetch(
        request.auth,
        Meeting.objects.select_related("campaign__town", "org"),
        may=actions.may_manage if manage else actions.may_view,
        pk=pk,
    )


def _closed(report: actions.RoundReport) -> dict:
    rnd = report.round
    return {
        "round": rnd.number,
        "issued": rnd.issued,
        "used": rnd.used,
        "valid": rnd.valid,
        "invalid": rnd.invalid,
        "results": _results(rnd),
        "recommended": report.outcome.recommended,
        "tie": report.outcome.tie,
    }


@router.post("campaigns/{int:campaign_id}/meetings", response={201: MeetingOut, **WRITE_ERRORS}, summary="登记支部党员大会")
def create_meeting(request, campaign_id: int, payload: MeetingIn):
    campaign = fetch(request.auth, Campaign.objects.select_related("town"), may=actions.may_manage, pk=campaign_id)
    org = Organization.objects.visible_to(request.auth).filter(pk=payload.org_id).first()
    if org is None:
        raise Http404
    meeting = actions.create_meeting(request.auth, campaign, org, payload.dict(exclude={"org_id"}))
    return Status(201, meeting_out(meeting))


@router.get("meetings/{int:meeting_id}", response={200: MeetingOut, **READ_ERRORS}, summary="党员大会（签到、候选人、投票轮次与推荐人选）")
def get_meeting(request, meeting_id: int):
    return meeting_out(_meeting(request, meeting_id, manage=False))


@router.put("meetings/{int:meeting_id}/attendance", response={200: MeetingOut, **WRITE_ERRORS}, summary="登记到会情况并冻结名额")
def put_attendance(request, meeting_id: int, payload: AttendanceIn):
    meeting = _meeting(request, meeting_id)
    meeting = actions.take_attendance(
        request.auth,
        meeting,
        payload.present,
        [(a.member_id, a.reason) for a in payload.absent],
        [(a.member_id, a.reason) for a in payload.excused],
    )
    return meeting_out(meeting)


@router.post("meetings/{int:meeting_id}/candidates", response={201: CandidateCreated, **WRITE_ERRORS}, summary="确定候选人（资格审查）")
def add_candidate(request, meeting_id: int, payload: CandidateIn):
    meeting = _meeting(request, meeting_id)
    member = Member.objects.visible_to(request.auth).filter(pk=payload.member_id).first()
    if member is None:
        raise Http404
    candidate = actions.add_candidate(
        request.auth,
        meeting,
        member,
        post=payload.post,
        deeds=payload.deeds,
        criteria=[c.dict() for c in payload.criteria],
        confirm_missing_appraisal=payload.confirm_missing_appraisal,
    )
    return Status(201, {"id": candidate.pk, "member_id": candidate.member_id, "warnings": candidate.warnings})


@router.post("meetings/{int:meeting_id}/poll", response={201: PollOpened, **WRITE_ERRORS}, summary="开启电子投票（生成一次性投票码）")
def open_poll(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    rnd, codes = actions.open_poll(request.auth, meeting)
    return Status(
        201,
        {
            "round": rnd.number,
            "max_choices": rnd.max_choices,
            "candidate_ids": sorted(rnd.candidates.values_list("pk", flat=True)),
            "codes": codes,
            "vote_url": request.build_absolute_uri(reverse("meetings:vote")),
        },
    )


@router.get("meetings/{int:meeting_id}/poll", response={200: PollState, **READ_ERRORS}, summary="投票进度（结束前只有已投张数）")
def poll_state(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    rnd = meeting.rounds.order_by("-number").first()
    if rnd is None:  # the caller may see the meeting: say why there is nothing, not "not found or not yours"
        raise HttpError(404, "本次党员大会尚未开始投票。")
    issued, used = actions.poll_counts(rnd)
    closed = rnd.status == RoundStatus.CLOSED
    return {
        "round": rnd.number,
        "status": "closed" if closed else "open",
        "issued": issued,
        "used": used,
        "results": _results(rnd) if closed else None,
    }


@router.post("meetings/{int:meeting_id}/poll/close", response={200: RoundClosed, **WRITE_ERRORS}, summary="结束投票并计票")
def close_poll(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    return _closed(actions.close_poll(request.auth, meeting))


@router.post(
    "meetings/{int:meeting_id}/tallies", response={201: TallyOut, **WRITE_ERRORS}, summary="录入纸质选票计票结果（计票人、监票人）"
)
def record_tally(request, meeting_id: int, payload: TallyIn):
    meeting = _meeting(request, meeting_id)
    tally, report = actions.record_tally(request.auth, meeting, **payload.dict())
    closed = _closed(report) if report else {}
    return Status(
        201,
        {**closed, "round": tally.round.number, "teller": tally.teller, "status": "closed" if report else "open", "result": closed or None},
    )


@router.post("ballots", response={201: BallotAccepted, **PUBLIC_ERRORS}, auth=None, summary="投票（凭投票码，无需账号）")
def cast_ballot(request, payload: BallotIn):
    """Only failed code attempts are counted per client (429 after too many); valid ballots never are."""
    ip = client_ip(request)
    if ballot_limit.blocked(ip):
        raise HttpError(429, ballot_limit.TOO_MANY)
    try:
        actions.cast_ballot(payload.code, payload.choices)
    except Http404:
        ballot_limit.failed(ip)
        raise
    return Status(201, {"accepted": True, "detail": "投票成功。您的选票已匿名保存。"})
