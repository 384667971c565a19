"""State changes of the branch general meeting (支部党员大会) and its secret ballot (SPEC §3).

Every function checks role and scope, the rules (`*_blockers`, Chinese reasons → 422) and races
(`Conflict` → 409), and writes its audit row in the same transaction. The pure arithmetic is in rules.py.

Concurrency of the electronic ballot:
- a code is spent by one conditional `UPDATE … SET used = true WHERE id = … AND used = false`: of any
  number of concurrent submissions with the same code exactly one sees rowcount 1;
- a ballot holds a shared lock on its round row (PostgreSQL `FOR SHARE`) while it checks the round is
  open and stores the ballot; closing takes `FOR UPDATE` on the same row, so it waits for the ballots in
  flight and every later ballot sees the round closed: the count equals the accepted ballots.
  SQLite takes its write lock at BEGIN (IMMEDIATE transactions), which serializes the same way.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone

from apps.audit.log import VOTER, diff, record, snapshot
from apps.campaigns.models import Campaign, CampaignStatus, Criterion, Target
from apps.core import clock
from apps.core.actions import ActionError, Conflict, PermissionDenied, refuse, refuse_unless
from apps.orgs.choices import Category, MemberStatus, OrgLevel
from apps.orgs.models import Appraisal, Member, Organization

from . import rules
from .audit import MeetingAudit
from .choices import MeetingStatus, Presence, RoundStatus, Teller, VoteMethod
from .models import Attendance, Ballot, BallotCode, Candidate, Meeting, PaperTally, PollRound, RoundResult

MEETING_FIELDS = ["date", "place", "chair", "recorder", "method", "note"]
NO_POLL = "投票码无效，或该轮投票未开始、已结束。"


# --- who may act ------------------------------------------------------------------------------------------------


def may_manage(user) -> bool:
    """Roles that run a branch meeting; the scope (visible_to) narrows a secretary to its own branch."""
    return bool(user.is_authenticated and (user.is_admin_role or user.is_town_office or user.is_branch_secretary))


def may_view(user) -> bool:
    """Roles that may read a meeting in their scope (inspectors never see member records)."""
    return bool(user.is_authenticated and not user.is_inspector)


def _check_manager(actor, meeting: Meeting) -> None:
    refuse_unless(may_manage(actor), "您的角色不能办理支部党员大会。")
    if not Meeting.objects.visible_to(actor).filter(pk=meeting.pk).exists():
        raise Http404


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("campaign__town", "org").get(pk=meeting.pk)


def _town(meeting: Meeting):
    return meeting.campaign.town


# --- meeting ----------------------------------------------------------------------------------------------------


def create_meeting_blockers(actor, campaign: Campaign, org: Organization) -> list[str]:
    blockers = []
    if campaign.status == CampaignStatus.CLOSED:
        blockers.append("该示范行动已结束，不能再召开党员大会。")
    if org.level in (OrgLevel.COUNTY, OrgLevel.TOWN) or not org.path.startswith(campaign.town.path):
        blockers.append(f"{org}不是{campaign.town}下属的基层党组织。")
    if not org.is_active:
        blockers.append(f"{org}已撤销。")
    return blockers


@transaction.atomic
def create_meeting(actor, campaign: Campaign, org: Organization, data: dict[str, Any]) -> Meeting:
    """Register the branch's general meeting for this campaign: one live meeting per branch and campaign."""
    refuse_unless(may_manage(actor), "您的角色不能办理支部党员大会。")
    if not Organization.objects.visible_to(actor).filter(pk=org.pk).exists():
        raise Http404
    if actor.is_branch_secretary and actor.organization_id != org.pk:
        raise PermissionDenied("支部书记只能为本支部召开党员大会。")
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("town").get(pk=campaign.pk)
    refuse(create_meeting_blockers(actor, campaign, org))
    existing = Meeting.objects.filter(campaign=campaign, org=org).exclude(status=MeetingStatus.CANCELLED).first()
    if existing is not None:
        raise Conflict([f"{org}在本年度示范行动中已有党员大会（{existing.date:%Y-%m-%d}），不能重复登记。"])
    fields = _meeting_fields(data)
    meeting = Meeting.objects.create(campaign=campaign, org=org, created_by=actor, **fields)
    record(actor, MeetingAudit.MEETING_CREATE, meeting, changes=diff({}, snapshot(meeting, fields=MEETING_FIELDS)), town=campaign.town)
    return meeting


def _meeting_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data[k] for k in MEETING_FIELDS if k in data and data[k] is not None}
    errors = {}
    for key, label in (("place", "会议地点"), ("chair", "主持人"), ("recorder", "记录人")):
        if not str(fields.get(key, "")).strip():
            errors[key] = [f"请填写{label}。"]
    if fields.get("method", VoteMethod.ELECTRONIC) not in VoteMethod.values:
        errors["method"] = ["表决方式只能是电子投票或纸质选票。"]
    if not isinstance(fields.get("date"), dt.date):
        errors["date"] = ["请填写会议日期。"]
    if errors:
        raise ActionError(errors)
    return fields


def update_meeting_blockers(actor, meeting: Meeting) -> list[str]:
    if meeting.status != MeetingStatus.PREPARING or meeting.rounds.exists():
        return ["投票已开始，会议信息和表决方式不能再修改。"]
    return []


@transaction.atomic
def update_meeting(actor, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Correct the meeting's date, place, chair, recorder or vote method before the vote starts."""
    _check_manager(actor, meeting)
    meeting = _lock(meeting)
    refuse(update_meeting_blockers(actor, meeting))
    fields = _meeting_fields(data)
    before = snapshot(meeting, fields=MEETING_FIELDS)
    for key, value in fields.items():
        setattr(meeting, key, value)
    meeting.save()
    changes = diff(before, snapshot(meeting, fields=MEETING_FIELDS))
    if changes:
        record(actor, MeetingAudit.MEETING_UPDATE, meeting, changes=changes, town=_town(meeting))
    return meeting


# --- attendance -------------------------------------------------------------------------------------------------


def roster(meeting: Meeting):
    """The branch's members in 册, as the attendance form lists them (正式 first)."""
    return Member.objects.filter(branch=meeting.org, status=MemberStatus.ACTIVE).order_by("category", "name", "pk")


def attendance_blockers(actor, meeting: Meeting) -> list[str]:
    if meeting.status == MeetingStatus.CANCELLED:
        return ["该党员大会已作废。"]
    if meeting.status != MeetingStatus.PREPARING or meeting.rounds.exists():
        return ["投票已开始，不能再修改签到。"]
    return []


@transaction.atomic
def take_attendance(
    actor,
    meeting: Meeting,
    present: list[int],
    absent: list[tuple[int, str]],
    excused: list[tuple[int, str]],
) -> Meeting:
    """Record who is present, absent and excused; compute expected and present voters and the quorum;
    freeze the quota snapshot on the first call (later roster changes don't move it)."""
    _check_manager(actor, meeting)
    meeting = _lock(meeting)
    refuse(attendance_blockers(actor, meeting))
    members = {m.pk: m for m in roster(meeting)}
    entries: dict[int, tuple[str, str]] = {}
    errors: list[str] = []
    for presence, rows in (
        (Presence.PRESENT, [(pk, "") for pk in present]),
        (Presence.ABSENT, absent),
        (Presence.EXCUSED, excused),
    ):
        for pk, reason in rows:
            reason = (reason or "").strip()
            if pk not in members:
                errors.append(f"编号 {pk} 不是{meeting.org}在册党员。")
            elif pk in entries:
                errors.append(f"{members[pk]}被重复登记。")
            elif presence == Presence.EXCUSED and not reason:
                errors.append(f"{members[pk]}请假，须填写原因（如长期患病、外出务工）。")
            elif len(reason) > 100:
                errors.append(f"{members[pk]}的原因过长（不超过 100 字）。")
            else:
                entries[pk] = (presence, reason)
    # Members in 册 left out of the request are absent, without a stated reason.
    for pk in members:
        entries.setdefault(pk, (Presence.ABSENT, ""))
    refuse(errors)
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            member=members[pk],
            presence=presence,
            reason=reason,
            is_voter=members[pk].category == Category.FORMAL,
        )
        for pk, (presence, reason) in entries.items()
    )
    formal = [pk for pk, m in members.items() if m.category == Category.FORMAL]
    before = snapshot(meeting, fields=["expected_voters", "present_voters", "quorate", "quota_formal_members", "quota_value"])
    meeting.expected_voters = sum(1 for pk in formal if entries[pk][0] != Presence.EXCUSED)
    meeting.present_voters = sum(1 for pk in formal if entries[pk][0] == Presence.PRESENT)
    meeting.quorate = rules.is_quorate(meeting.present_voters, meeting.expected_voters, meeting.campaign.quorum_percent)
    if meeting.quota_formal_members is None:
        quota = meeting.campaign.post_quota(len(formal))
        meeting.quota_formal_members = quota.base
        meeting.quota_percent = quota.percent
        meeting.quota_rule = quota.rule
        meeting.quota_value = quota.value
        meeting.quota_explain = quota.explain()
    meeting.attendance_taken_at = timezone.now()
    meeting.save()
    after = snapshot(meeting, fields=["expected_voters", "present_voters", "quorate", "quota_formal_members", "quota_value"])
    counts = Counter(p for p, _ in entries.values())
    record(
        actor,
        MeetingAudit.ATTENDANCE,
        meeting,
        changes=diff(before, after),
        note=f"到会 {counts[Presence.PRESENT]} 人，缺席 {counts[Presence.ABSENT]} 人，请假 {counts[Presence.EXCUSED]} 人",
        town=_town(meeting),
    )
    return meeting


# --- candidates -------------------------------------------------------------------------------------------------


def eligibility(meeting: Meeting, member: Member, *, confirm_missing_appraisal: bool = False) -> rules.Eligibility:
    campaign = meeting.campaign
    grade = Appraisal.objects.filter(member=member, year=campaign.appraisal_year).values_list("grade", flat=True).first()
    elsewhere = _candidacies_elsewhere(meeting, [member.pk]).get(member.pk)
    return _eligibility(meeting, member, grade, elsewhere, confirm_missing_appraisal)


def roster_eligibility(meeting: Meeting) -> list[tuple[Member, rules.Eligibility]]:
    """Every member of the branch in 册 with its eligibility (for the candidates page): three queries,
    however many members the branch has."""
    members = list(roster(meeting))
    ids = [m.pk for m in members]
    grades = dict(Appraisal.objects.filter(member_id__in=ids, year=meeting.campaign.appraisal_year).values_list("member_id", "grade"))
    elsewhere = _candidacies_elsewhere(meeting, ids)
    return [(m, _eligibility(meeting, m, grades.get(m.pk), elsewhere.get(m.pk), False)) for m in members]


def _candidacies_elsewhere(meeting: Meeting, member_ids: list[int]) -> dict[int, str]:
    """member id → the branch where the member already stands in this campaign (a live meeting)."""
    rows = (
        Candidate.objects.filter(campaign=meeting.campaign, member_id__in=member_ids)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .values_list("member_id", "meeting__org__name")
    )
    return dict(rows)


def _eligibility(meeting: Meeting, member: Member, grade: str | None, elsewhere: str | None, confirm: bool) -> rules.Eligibility:
    campaign = meeting.campaign
    return rules.candidate_eligibility(
        name=member.name,
        status=member.status,
        category=member.category,
        in_branch=member.branch_id == meeting.org_id,
        admit_probationary=campaign.admit_probationary,
        appraisal_year=campaign.appraisal_year,
        grade=grade,
        in_sanction=rules.in_sanction_period(member.sanction_start, member.sanction_end, meeting.date, clock.today()),
        candidate_elsewhere=elsewhere,
        confirm_missing_appraisal=confirm,
    )


def candidate_blockers(actor, meeting: Meeting) -> list[str]:
    if meeting.status == MeetingStatus.CANCELLED:
        return ["该党员大会已作废。"]
    if meeting.status != MeetingStatus.PREPARING or meeting.rounds.exists():
        return ["投票已开始，候选人名单不能再变动。"]
    return []


@transaction.atomic
def add_candidate(
    actor,
    meeting: Meeting,
    member: Member,
    *,
    post: str,
    deeds: str,
    criteria: list[dict] | None = None,
    confirm_missing_appraisal: bool = False,
) -> Candidate:
    """Put an eligible member of the branch before the meeting, with the post, the deeds and a statement
    per 示范岗 criterion; an ineligible member is refused with the reason."""
    _check_manager(actor, meeting)
    meeting = _lock(meeting)
    refuse(candidate_blockers(actor, meeting))
    member = Member.objects.select_for_update().get(pk=member.pk)
    verdict = eligibility(meeting, member, confirm_missing_appraisal=confirm_missing_appraisal)
    errors: dict[str, list[str]] = {}
    if verdict.blockers:
        errors["member"] = verdict.blockers
    post = (post or "").strip() or member.post
    if not post:
        errors["post"] = ["请填写工作岗位/职务。"]
    elif len(post) > 100:
        errors["post"] = ["工作岗位/职务不超过 100 字。"]
    if not (deeds or "").strip():
        errors["deeds"] = ["请填写主要事迹。"]
    titles = dict(Criterion.objects.filter(campaign=meeting.campaign, target=Target.POST).values_list("order", "title"))
    statements = []
    for item in criteria or []:
        order, text = item.get("order"), str(item.get("text") or "").strip()
        if order not in titles:
            errors.setdefault("criteria", []).append(f"创建标准序号 {order} 不存在。")
        elif text:
            statements.append({"order": order, "title": titles[order], "text": text})
    if len({s["order"] for s in statements}) != len(statements):
        errors.setdefault("criteria", []).append("同一条创建标准只能填写一次。")
    if errors:
        raise ActionError(errors)
    candidate = Candidate.objects.create(
        meeting=meeting,
        campaign=meeting.campaign,
        member=member,
        post=post,
        deeds=deeds.strip(),
        criteria=sorted(statements, key=lambda s: s["order"]),
        missing_appraisal_confirmed=verdict.missing_appraisal and confirm_missing_appraisal,
        warnings=verdict.warnings,
        created_by=actor,
    )
    record(
        actor,
        MeetingAudit.CANDIDATE_ADD,
        candidate,
        changes=diff({}, snapshot(candidate, fields=["member", "post", "missing_appraisal_confirmed"])),
        note="；".join(verdict.warnings),
        town=_town(meeting),
    )
    return candidate


@transaction.atomic
def remove_candidate(actor, candidate: Candidate) -> None:
    meeting = candidate.meeting
    _check_manager(actor, meeting)
    meeting = _lock(meeting)
    refuse(candidate_blockers(actor, meeting))
    record(
        actor,
        MeetingAudit.CANDIDATE_REMOVE,
        candidate,
        changes=diff(snapshot(candidate, fields=["member", "post"]), {}),
        town=_town(meeting),
    )
    candidate.delete()


# --- rounds -----------------------------------------------------------------------------------------------------


def open_round(meeting: Meeting) -> PollRound | None:
    return meeting.rounds.filter(status=RoundStatus.OPEN).first()


def recommended_ids(meeting: Meeting) -> list[int]:
    return list(meeting.recommended_candidates().order_by("pk").values_list("pk", flat=True))


def places_left(meeting: Meeting) -> int:
    return max((meeting.quota_value or 0) - len(recommended_ids(meeting)), 0)


@dataclass(frozen=True)
class NextRound:
    number: int
    candidate_ids: list[int]
    max_choices: int


def next_round(meeting: Meeting) -> NextRound | None:
    """Round 1 among all candidates, or the run-off among the last round's tie for the places left."""
    last = meeting.rounds.order_by("-number").first()
    if last is None:
        return NextRound(1, list(meeting.candidates.order_by("pk").values_list("pk", flat=True)), meeting.quota_value or 0)
    if last.status != RoundStatus.CLOSED:
        return None
    tie = list(last.results.filter(tied=True).order_by("candidate_id").values_list("candidate_id", flat=True))
    if not tie:
        return None
    return NextRound(last.number + 1, tie, places_left(meeting))


def poll_blockers(actor, meeting: Meeting, *, paper: bool = False) -> list[str]:
    """Why a round can't be opened now (electronic: POST poll; paper: the first tally entry)."""
    if meeting.status == MeetingStatus.CANCELLED:
        return ["该党员大会已作废。"]
    if meeting.status == MeetingStatus.CONCLUDED:
        return ["本次党员大会已产生推荐人选，投票已结束。"]
    if not paper and meeting.method == VoteMethod.PAPER:
        return ["本次党员大会采用纸质选票，无需开启电子投票：请由计票人、监票人录入计票结果。"]
    blockers = []
    if meeting.attendance_taken_at is None:
        blockers.append("尚未签到：请先登记到会情况。")
    elif not meeting.quorate:
        blockers.append(
            "到会人数不足，会议无效：" + rules.quorum_text(meeting.present_voters, meeting.expected_voters, meeting.campaign.quorum_percent)
        )
    if not meeting.candidates.exists():
        blockers.append("尚未确定候选人。")
    if meeting.quota_value == 0:
        blockers.append(f"本支部示范岗名额为 0（{meeting.quota_explain}），无需投票。")
    return blockers


def _start_round(meeting: Meeting) -> PollRound:
    nxt = next_round(meeting)
    if nxt is None:
        raise Conflict(["当前没有需要进行的投票轮次。"])
    rnd = PollRound.objects.create(meeting=meeting, number=nxt.number, max_choices=nxt.max_choices)
    rnd.candidates.set(nxt.candidate_ids)
    if meeting.status == MeetingStatus.PREPARING:
        meeting.status = MeetingStatus.VOTING
        meeting.save(update_fields=["status", "updated_at"])
    return rnd


@transaction.atomic
def open_poll(actor, meeting: Meeting) -> tuple[PollRound, list[str]]:
    """Open the next electronic round and issue one code per present voter. The codes are returned
    here only (to print the slips); the database keeps their SHA-256 digests."""
    _check_manager(actor, meeting)
    meeting = _lock(meeting)
    current = open_round(meeting)
    if current is not None:
        raise Conflict([f"第 {current.number} 轮投票正在进行，请先结束该轮投票。"])
    refuse(poll_blockers(actor, meeting))
    rnd = _start_round(meeting)
    codes = [rules.new_code() for _ in range(meeting.present_voters)]
    BallotCode.objects.bulk_create(BallotCode(round=rnd, digest=rules.code_digest(c)) for c in codes)
    rnd.issued = len(codes)
    rnd.save(update_fields=["issued"])
    record(
        actor,
        MeetingAudit.POLL_OPEN,
        meeting,
        note=f"第 {rnd.number} 轮，候选人 {rnd.candidates.count()} 人，每票最多选 {rnd.max_choices} 人，发出投票码 {len(codes)} 张",
        town=_town(meeting),
    )
    return rnd, codes


def reissue_blockers(actor, meeting: Meeting) -> list[str]:
    rnd = open_round(meeting)
    if rnd is None or meeting.method != VoteMethod.ELECTRONIC:
        return ["没有正在进行的电子投票。"]
    if rnd.codes.filter(used=True).exists():
        return ["已有党员投票，不能重新生成投票码。"]
    return []


@transaction.atomic
def reissue_codes(actor, meeting: Meeting) -> tuple[PollRound, list[str]]:
    """Replace the open round's codes while nobody has voted (the printed slips were lost or never printed):
    the old codes stop working."""
    _check_manager(actor, meeting)
    meeting = _lock(meeting)
    rnd = PollRound.objects.select_for_update().filter(meeting=meeting, status=RoundStatus.OPEN).first()
    refuse(reissue_blockers(actor, meeting))
    rnd.codes.all().delete()
    codes = [rules.new_code() for _ in range(meeting.present_voters)]
    BallotCode.objects.bulk_create(BallotCode(round=rnd, digest=rules.code_digest(c)) for c in codes)
    rnd.issued = len(codes)
    rnd.save(update_fields=["issued"])
    record(
        actor, MeetingAudit.CODES_REISSUE, meeting, note=f"第 {rnd.number} 轮，作废原投票码，重新生成 {len(codes)} 张", town=_town(meeting)
    )
    return rnd, codes


# The ballot's hot path in plain SQL: 300 voters submit within seconds, and building ORM queries cost more
# than running them. Table names are Django's defaults (tests/test_meetings_actions.py checks them).
_CODE_SQL = "SELECT id, round_id, used FROM meetings_ballotcode WHERE digest = %s"
_ROUND_SQL = (
    "SELECT r.status, r.max_choices, r.number, o.name, c.town_id FROM meetings_pollround r"
    " JOIN meetings_meeting m ON m.id = r.meeting_id"
    " JOIN campaigns_campaign c ON c.id = m.campaign_id"
    " JOIN orgs_organization o ON o.id = m.org_id"
    " WHERE r.id = %s"
)
_CANDIDATES_SQL = "SELECT candidate_id FROM meetings_pollround_candidates WHERE pollround_id = %s"
_SPEND_SQL = "UPDATE meetings_ballotcode SET used = %s WHERE id = %s AND used = %s"


def _as_ids(choices) -> list[int]:
    ids = []
    for c in choices or []:
        try:
            ids.append(int(c))
        except (TypeError, ValueError):
            raise ActionError(["选择的候选人无效。"]) from None
    return ids


@transaction.atomic
def cast_ballot(code: str, choices: list) -> Ballot:
    """One anonymous ballot. Nothing identifies the voter: no account, no time on the ballot, a random id.
    404 unknown code or round not open · 409 code already used · 422 too many / unknown / repeated.

    On PostgreSQL the round row is read `FOR SHARE`: a concurrent close (`FOR UPDATE`) waits for this
    ballot, and a ballot after the close sees the round closed. SQLite serializes writers at BEGIN."""
    choices = _as_ids(choices)
    with connection.cursor() as cursor:
        cursor.execute(_CODE_SQL, [rules.code_digest(code)])
        row = cursor.fetchone() if code else None
        if row is None:
            raise Http404(NO_POLL)
        code_id, round_id, used = row
        cursor.execute(_ROUND_SQL + (" FOR SHARE OF r" if connection.vendor == "postgresql" else ""), [round_id])
        status, max_choices, number, org_name, town_id = cursor.fetchone()
        if status != RoundStatus.OPEN:
            raise Http404(NO_POLL)
        if used:
            raise Conflict(["该投票码已使用，每张投票码只能投票一次。"])
        cursor.execute(_CANDIDATES_SQL, [round_id])
        allowed = {r[0] for r in cursor.fetchall()}
        refuse(rules.choice_errors(choices, allowed, max_choices))
        cursor.execute(_SPEND_SQL, [True, code_id, False])
        if cursor.rowcount != 1:
            raise Conflict(["该投票码已使用，每张投票码只能投票一次。"])
    ballot = Ballot.objects.create(round_id=round_id, choices=sorted(choices))
    record(VOTER, MeetingAudit.BALLOT_CAST, PollRound(pk=round_id, number=number), note=org_name, town=Organization(pk=town_id))
    return ballot


def poll_counts(rnd: PollRound) -> tuple[int, int]:
    """(issued, used) of a round: live from the codes while an electronic round is open."""
    if rnd.status == RoundStatus.OPEN and rnd.meeting.method == VoteMethod.ELECTRONIC:
        return rnd.codes.count(), rnd.codes.filter(used=True).count()
    return rnd.issued, rnd.used


def _finish_round(actor, meeting: Meeting, rnd: PollRound, votes: dict[int, int], *, issued, used, valid, invalid, note=""):
    candidate_ids = list(rnd.candidates.values_list("pk", flat=True))
    votes = {cid: votes.get(cid, 0) for cid in candidate_ids}
    outcome = rules.decide(votes, meeting.present_voters, rnd.max_choices)
    RoundResult.objects.bulk_create(
        RoundResult(
            round=rnd,
            candidate_id=cid,
            votes=votes[cid],
            passed=cid in outcome.passed,
            recommended=cid in outcome.recommended,
            tied=cid in outcome.tie,
        )
        for cid in candidate_ids
    )
    rnd.status = RoundStatus.CLOSED
    rnd.closed_at = timezone.now()
    rnd.issued, rnd.used, rnd.valid, rnd.invalid = issued, used, valid, invalid
    rnd.save()
    meeting.status = MeetingStatus.VOTING if outcome.tie and places_left(meeting) > 0 else MeetingStatus.CONCLUDED
    meeting.save(update_fields=["status", "updated_at"])
    names = dict(Candidate.objects.filter(pk__in=candidate_ids).values_list("pk", "member__name"))
    summary = "，".join(f"{names[c]} {votes[c]} 票" for c in sorted(candidate_ids, key=lambda c: -votes[c]))
    record(
        actor,
        MeetingAudit.POLL_CLOSE,
        meeting,
        note=f"第 {rnd.number} 轮：发出 {issued}，收回 {used}，有效 {valid}；{summary}"
        + (f"；并列需再次投票：{'、'.join(names[c] for c in outcome.tie)}" if outcome.tie else "")
        + (f"；{note}" if note else ""),
        town=_town(meeting),
    )
    return outcome


@dataclass(frozen=True)
class RoundReport:
    round: PollRound
    outcome: rules.Outcome


@transaction.atomic
def close_poll(actor, meeting: Meeting) -> RoundReport:
    """Close the open electronic round and count it, consistently with ballots arriving meanwhile."""
    _check_manager(actor, meeting)
    meeting = _lock(meeting)
    if meeting.method == VoteMethod.PAPER:
        raise ActionError(["纸质选票在计票人、监票人录入一致后自动计票，无需结束电子投票。"])
    rnd = PollRound.objects.select_for_update().filter(meeting=meeting, status=RoundStatus.OPEN).first()
    if rnd is None:
        raise Conflict(["没有正在进行的投票，可能已被结束。"])
    counter: Counter[int] = Counter()
    used = 0
    for choices in Ballot.objects.filter(round=rnd).values_list("choices", flat=True):
        used += 1
        counter.update(choices)
    if used == 0:
        # Nobody has voted: closing would conclude the meeting with nobody recommended. A lost sheet of
        # slips is replaced with reissue_codes instead.
        raise ActionError(["尚无人投票，不能结束投票。如投票码纸条遗失或未打印，可作废原投票码并重新生成。"])
    issued = BallotCode.objects.filter(round=rnd).count()
    outcome = _finish_round(actor, meeting, rnd, dict(counter), issued=issued, used=used, valid=used, invalid=0)
    return RoundReport(rnd, outcome)


@transaction.atomic
def record_tally(
    actor,
    meeting: Meeting,
    *,
    teller: str,
    issued: int,
    returned: int,
    valid: int,
    invalid: int,
    votes: dict,
    teller_name: str = "",
) -> tuple[PaperTally, RoundReport | None]:
    """One teller's count of the paper ballots. The first entry opens the round; the same teller posting
    again replaces its entry; when both entries agree the round closes with its results."""
    _check_manager(actor, meeting)
    meeting = _lock(meeting)
    if meeting.method != VoteMethod.PAPER:
        raise ActionError(["本次党员大会采用电子投票，计票由系统完成，无需录入。"])
    if teller not in Teller.values:
        raise ActionError({"teller": ["录入人只能是计票人或监票人。"]})
    try:
        votes = {int(k): int(v) for k, v in (votes or {}).items()}
    except (TypeError, ValueError):
        raise ActionError({"votes": ["得票须为“候选人编号: 票数”。"]}) from None
    rnd = open_round(meeting)
    if rnd is None:
        refuse(poll_blockers(actor, meeting, paper=True))
        rnd = _start_round(meeting)
    else:
        rnd = PollRound.objects.select_for_update().get(pk=rnd.pk)
    names = dict(Candidate.objects.filter(pk__in=votes).values_list("pk", "member__name"))
    refuse(
        rules.tally_errors(
            present_voters=meeting.present_voters,
            max_choices=rnd.max_choices,
            candidate_ids=set(rnd.candidates.values_list("pk", flat=True)),
            issued=issued,
            returned=returned,
            valid=valid,
            invalid=invalid,
            votes=votes,
            names=names,
        )
    )
    entry = {"issued": issued, "returned": returned, "valid": valid, "invalid": invalid, "votes": votes}
    other = rnd.tallies.exclude(teller=teller).first()
    if other is not None:
        theirs = {
            "issued": other.issued,
            "returned": other.returned,
            "valid": other.valid,
            "invalid": other.invalid,
            "votes": {int(k): v for k, v in other.votes.items()},
        }
        pair = (entry, theirs) if teller == Teller.COUNTER else (theirs, entry)
        differences = rules.tally_differences(*pair, names=names)
        if differences:
            raise Conflict(["计票人与监票人的录入不一致：" + "；".join(differences) + "。请核对选票后重新录入。"])
    tally, _ = PaperTally.objects.update_or_create(
        round=rnd,
        teller=teller,
        defaults={**entry, "votes": {str(k): v for k, v in votes.items()}, "teller_name": teller_name, "entered_by": actor},
    )
    record(
        actor,
        MeetingAudit.TALLY_ENTER,
        meeting,
        note=f"第 {rnd.number} 轮{Teller(teller).label}{teller_name}录入：发出 {issued}，收回 {returned}，有效 {valid}，无效 {invalid}",
        town=_town(meeting),
    )
    report = None
    if other is not None:
        outcome = _finish_round(actor, meeting, rnd, votes, issued=issued, used=returned, valid=valid, invalid=invalid)
        report = RoundReport(rnd, outcome)
    return tally, report
