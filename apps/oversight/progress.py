"""Where every branch stands in the 示范岗 procedure: one pure function (`branch_progress`) over facts loaded
in a fixed number of queries (`load_rows`), used by the board page, its export, the API and the home page.

`branch_progress(facts, deadline, today)` knows nothing about the database: the facts of one branch go in
(its meeting, proposal, nominations, notice, reopening…), the step, the dates of each milestone and whether
the branch is overdue come out. Overdue: the campaign's submission deadline has passed, the branch has not
submitted (or must resubmit what was returned) and no reopening runs today.

Candidate villages (示范村) are another app's: it registers a provider in `VILLAGE_ROW_PROVIDERS`
(`fn(user, campaigns, today) -> list[ProgressRow]`) and its rows join the board, the export and the API.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from apps.commendations.models import Commendation
from apps.core.clock import today
from apps.core.querysets import path_q
from apps.meetings.choices import MeetingStatus, RoundStatus
from apps.meetings.models import Meeting, PollRound
from apps.nominations.choices import Decision, NominationStatus
from apps.nominations.models import Nomination, Proposal, Reopening, Review
from apps.notices.models import Notice
from apps.orgs.choices import OrgLevel
from apps.orgs.models import Organization

from .choices import COLUMNS, NOT_SUBMITTED, ORDER, VILLAGE_STEPS, Step

S = NominationStatus
BRANCH_LEVELS = (OrgLevel.BRANCH, OrgLevel.GENERAL_BRANCH, OrgLevel.PARTY_COMMITTEE)


def _d(day) -> str:
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localdate(day)
    return f"{day:%Y-%m-%d}"


# --- the facts of one branch and the pure step function ----------------------------------------------------------


@dataclass
class BranchFacts:
    """What the system knows about one branch in one campaign (plain values, no model instances needed)."""

    meeting_status: str | None = None  # None: no (live) meeting registered
    meeting_date: dt.date | None = None
    attendance_at: dt.datetime | bool | None = None  # True: taken (load_rows(cells=False) reads no dates)
    quorate: bool | None = None
    voted_at: dt.datetime | None = None  # the last closed round
    committee_date: dt.date | None = None  # None: no proposal
    submitted_at: dt.datetime | None = None
    statuses: list[str] = field(default_factory=list)  # every nomination's status, withdrawn included
    decided_at: dt.datetime | None = None
    last_decision: str = ""
    listed_at: dt.datetime | None = None
    notice_start: dt.date | None = None
    notice_end: dt.date | None = None
    commended_on: dt.date | None = None
    reopening_until: dt.date | None = None  # the latest reopening
    open_rectifications: int = 0
    overdue_rectifications: int = 0


@dataclass(frozen=True)
class Progress:
    step: Step
    label: str
    next: str
    overdue: bool
    cells: dict[str, str]  # column key → what the board shows ("" when not reached)
    warning: str = ""  # e.g. the meeting is not quorate, the reopening runs until…

    @property
    def order(self) -> int:
        return ORDER[self.step]

    @property
    def column_values(self) -> list[str]:
        return [self.cells[key] for key, _ in COLUMNS]


def _meeting_step(f: BranchFacts) -> tuple[Step, str, str]:
    if f.meeting_status is None:
        return Step.NO_MEETING, Step.NO_MEETING.label, "登记并召开支部党员大会"
    if f.meeting_status != MeetingStatus.CONCLUDED:
        if f.attendance_at is None:
            return Step.MEETING, Step.MEETING.label, "党员大会签到，确认法定人数"
        if f.meeting_status == MeetingStatus.VOTING:
            return Step.ATTENDANCE, "投票中", "结束投票，产生推荐人选"
        if f.quorate is False:
            return Step.ATTENDANCE, "已签到，未达到法定人数", "到会人数不足，须另行召开党员大会"
        return Step.ATTENDANCE, "已签到，达到法定人数", "确定候选人并投票"
    return Step.VOTED, Step.VOTED.label, "召开支委会确定推荐对象"


def _step(f: BranchFacts, today: dt.date) -> tuple[Step, str, str]:
    active = [s for s in f.statuses if s != S.WITHDRAWN]
    if f.committee_date is None or not f.statuses:
        # Before the proposal, the meeting tells the step; afterwards the nominations do.
        return _meeting_step(f)
    if not active:
        return Step.WITHDRAWN, Step.WITHDRAWN.label, "—"
    if S.RETURNED in active:
        return Step.RETURNED, f"镇党委退回 {active.count(S.RETURNED)} 名", "按退回理由修改后重新报送"
    if S.DRAFT in active:
        return Step.PROPOSED, Step.PROPOSED.label, "支部内公示期满后报送镇党委"
    if S.SUBMITTED in active:
        return Step.SUBMITTED, Step.SUBMITTED.label, "等待镇党委审批"
    if S.APPROVED in active:
        return Step.APPROVED, Step.APPROVED.label, "镇党建办报送参评名单"
    if S.COMMENDED in active:
        return Step.COMMENDED, Step.COMMENDED.label, "—"
    if f.notice_start is not None and f.notice_start <= today:
        if today <= f.notice_end:
            return Step.NOTICE, f"公示中（至 {_d(f.notice_end)}）", "公示期满、异议办结后作出表彰决定"
        return Step.NOTICED, Step.NOTICED.label, "作出表彰决定"
    return Step.LISTED, Step.LISTED.label, "镇党委组织公示"


def branch_progress(f: BranchFacts, deadline: dt.date, today: dt.date, *, cells: bool = True) -> Progress:
    """The branch's step, the date of each milestone, and whether it is overdue (see the module's docstring).
    `cells=False`: the milestones' dates are left empty (callers that only count steps, e.g. the county's summary)."""
    step, label, next_ = _step(f, today)
    reopened = f.reopening_until is not None and f.reopening_until >= today
    overdue = step in NOT_SUBMITTED and today > deadline and not reopened
    if not cells:
        return Progress(step, label, next_, overdue, EMPTY_CELLS, _warning(f, step, reopened, today, deadline))
    decision = ""
    if f.decided_at is not None:
        decision = f"{_d(f.decided_at)} {'退回' if f.last_decision == Decision.RETURN else '同意'}"
    attendance = ""
    if f.attendance_at is not None:
        attendance = f"{_d(f.attendance_at)} {'达到法定人数' if f.quorate else '未达到法定人数'}"
    cells = {
        "meeting": _d(f.meeting_date) if f.meeting_status else "",
        "attendance": attendance,
        "vote": _d(f.voted_at) if f.meeting_status == MeetingStatus.CONCLUDED else "",
        "proposal": _d(f.committee_date),
        "submitted": _d(f.submitted_at),
        "decision": decision,
        "listed": _d(f.listed_at),
        "notice": f"{_d(f.notice_start)}至{_d(f.notice_end)}" if f.notice_start else "",
        "commended": _d(f.commended_on) if S.COMMENDED in f.statuses else "",
    }
    assert set(cells) == {key for key, _ in COLUMNS}
    return Progress(step, label, next_, overdue, cells, _warning(f, step, reopened, today, deadline))


EMPTY_CELLS = {key: "" for key, _ in COLUMNS}


def _warning(f: BranchFacts, step: Step, reopened: bool, today: dt.date, deadline: dt.date) -> str:
    if reopened and step in NOT_SUBMITTED and today > deadline:
        return f"已准予延期报送至 {_d(f.reopening_until)}"
    if f.quorate is False and step == Step.ATTENDANCE:
        return "未达到法定人数"
    return ""


# --- rows of the board ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgRef:
    """The few fields of a branch the board, its export and the assessment read (plain values, no model instance)."""

    pk: int
    name: str
    kind: str
    path: str

    def __str__(self) -> str:
        return self.name


@dataclass
class ProgressRow:
    campaign: object
    org: OrgRef | Organization  # villages' rows carry the model instance
    progress: Progress
    kind: str = "branch"  # "branch" or "village"
    meeting_id: int | None = None
    proposal_id: int | None = None
    facts: BranchFacts | None = None

    @property
    def deadline(self) -> dt.date:
        return self.campaign.deadline


VillageRowProvider = Callable[[object, list, dt.date], list[ProgressRow]]
VILLAGE_ROW_PROVIDERS: list[VillageRowProvider] = []


def village_row_provider(fn: VillageRowProvider) -> VillageRowProvider:
    """Register the candidate villages' rows (apps/villages, in its AppConfig.ready())."""
    VILLAGE_ROW_PROVIDERS.append(fn)
    return fn


def visible_branches(user, campaigns):
    """The branches of the campaigns' towns the user may see (none for an inspector: villages only).
    `user=None` is the system (a bulletin, a management command): every branch of the towns."""
    if getattr(user, "is_inspector", False) or not campaigns:
        return Organization.objects.none()
    towns = [c.town.path for c in campaigns]
    orgs = Organization.objects.all() if user is None else Organization.objects.visible_to(user)
    return orgs.filter(path_q(towns), level__in=BRANCH_LEVELS, is_active=True).order_by("path")


def load_rows(user, campaigns, on: dt.date | None = None, *, villages: bool = True, cells: bool = True) -> list[ProgressRow]:
    """Every branch of the campaigns (Campaign objects with `town` loaded) the user may see, with its progress.
    A fixed number of queries, however many branches and towns. `cells=False` leaves the milestones' dates out
    (for callers that only need the step: the facts that only date a milestone — the vote, the decisions, the
    listing — are not read)."""
    from .models import Rectification  # the supervision visits' open items

    on = on or today()
    campaigns = list(campaigns)
    branches = [OrgRef(*v) for v in visible_branches(user, campaigns).values_list("pk", "name", "kind", "path")]
    by_town = {c.town.path: c for c in campaigns}
    ids = [c.pk for c in campaigns]
    facts: dict[tuple[int, int], BranchFacts] = defaultdict(BranchFacts)
    meeting_ids: dict[tuple[int, int], int] = {}
    proposal_ids: dict[tuple[int, int], int] = {}
    if branches:
        meetings = Meeting.objects.filter(campaign_id__in=ids).exclude(status=MeetingStatus.CANCELLED).order_by("pk")
        if not cells:  # whether the attendance was taken, not when (no datetime to parse per row)
            meetings = meetings.annotate(attended=Q(attendance_taken_at__isnull=False))
        attended = "attendance_taken_at" if cells else "attended"
        for m in meetings.values("pk", "campaign_id", "org_id", "status", "date", attended, "quorate"):
            f = facts[m["campaign_id"], m["org_id"]]
            f.meeting_status, f.meeting_date = m["status"], m["date"]
            f.attendance_at, f.quorate = m[attended] or None, m["quorate"]
            meeting_ids[m["campaign_id"], m["org_id"]] = m["pk"]
        rounds = (
            PollRound.objects.filter(meeting__campaign_id__in=ids, status=RoundStatus.CLOSED)
            .exclude(meeting__status=MeetingStatus.CANCELLED)
            .values("meeting__campaign_id", "meeting__org_id")
            .annotate(last=Max("closed_at"))
        )
        for r in rounds if cells else ():
            facts[r["meeting__campaign_id"], r["meeting__org_id"]].voted_at = r["last"]
        for p in Proposal.objects.filter(campaign_id__in=ids).values("pk", "campaign_id", "org_id", "committee_date", "submitted_at"):
            f = facts[p["campaign_id"], p["org_id"]]
            f.committee_date, f.submitted_at = p["committee_date"], p["submitted_at"]
            proposal_ids[p["campaign_id"], p["org_id"]] = p["pk"]
        nominations = Nomination.objects.filter(campaign_id__in=ids).order_by("pk")
        for n in nominations.values("campaign_id", "org_id", "status", *(["listed_at"] if cells else [])):
            f = facts[n["campaign_id"], n["org_id"]]
            f.statuses.append(n["status"])
            listed = n.get("listed_at")
            if listed and (f.listed_at is None or listed < f.listed_at):
                f.listed_at = listed
        reviews = Review.objects.filter(nomination__campaign_id__in=ids).order_by("decided_at", "pk")
        for r in reviews.values("nomination__campaign_id", "nomination__org_id", "decided_at", "decision") if cells else ():
            f = facts[r["nomination__campaign_id"], r["nomination__org_id"]]
            f.decided_at, f.last_decision = r["decided_at"], r["decision"]
        notices = (
            Notice.nominations.through.objects.filter(notice__campaign_id__in=ids)
            .values("notice__campaign_id", "nomination__org_id")
            .annotate(start=Min("notice__start"), end=Max("notice__end"))
        )
        for n in notices:
            f = facts[n["notice__campaign_id"], n["nomination__org_id"]]
            f.notice_start, f.notice_end = n["start"], n["end"]
        # Without the cells (the bulletin shows a reopening before the deadline), a reopening matters only once
        # its campaign's deadline has passed (overdue, the warning, a late submission on time): not read before.
        late = ids if cells else [c.pk for c in campaigns if max(on, today()) > c.deadline]
        for r in (
            Reopening.objects.filter(campaign_id__in=late).values("campaign_id", "org_id").annotate(until=Max("until")) if late else ()
        ):
            facts[r["campaign_id"], r["org_id"]].reopening_until = r["until"]
        if cells:  # the commendation's date is a milestone cell only
            commended_on = dict(Commendation.objects.filter(campaign_id__in=ids).values_list("campaign_id", "date"))
            for (cid, _org), f in facts.items():
                f.commended_on = commended_on.get(cid)
        open_items = (
            Rectification.objects.filter(visit__campaign_id__in=ids, closed_on__isnull=True)
            .values("visit__campaign_id", "visit__org_id")
            .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=on)))
        )
        for r in open_items:
            f = facts[r["visit__campaign_id"], r["visit__org_id"]]
            f.open_rectifications, f.overdue_rectifications = r["n"], r["late"]
    rows = []
    campaign, town_path = None, None
    for org in branches:  # ordered by path: a town's branches follow each other
        if town_path is None or not org.path.startswith(town_path):
            town_path, campaign = next(((path, c) for path, c in by_town.items() if org.path.startswith(path)), (None, None))
        if campaign is None:
            continue
        key = (campaign.pk, org.pk)
        f = facts[key] if key in facts else BranchFacts()
        rows.append(
            ProgressRow(
                campaign,
                org,
                branch_progress(f, campaign.deadline, on, cells=cells),
                meeting_id=meeting_ids.get(key),
                proposal_id=proposal_ids.get(key),
                facts=f,
            )
        )
    if villages:
        for provider in VILLAGE_ROW_PROVIDERS:
            rows.extend(provider(user, campaigns, on))
    return rows


def campaign_rows(user, campaign) -> list[ProgressRow]:
    """`load_rows(user, [campaign])` as the board, its export and the API show it: kept while nothing audited
    changes (apps/audit/memo.py), so a board looked at again costs no more than its rendering."""
    from apps.audit.memo import remember

    return remember("progress-rows", user, lambda: load_rows(user, [campaign]), campaign.pk)


def step_counts(rows) -> list[tuple[Step, int]]:
    """How many branches are at each step of the 示范岗 procedure, in its order (the chart's bars).
    Candidate villages have their own steps and are not counted here."""
    counts = dict.fromkeys(sorted((s for s in Step if s not in VILLAGE_STEPS), key=ORDER.get), 0)
    for r in rows:
        if r.kind == "branch":
            counts[r.progress.step] += 1
    return list(counts.items())


def summary(rows) -> dict:
    """The headline numbers of a set of rows (the branches; candidate villages have their own steps)."""
    rows = [r for r in rows if r.kind == "branch"]
    total = len(rows)
    submitted = sum(1 for r in rows if r.progress.step not in NOT_SUBMITTED)
    return {
        "branches": total,
        "submitted": submitted,
        "not_submitted": total - submitted,
        "overdue": sum(1 for r in rows if r.progress.overdue),
        "commended": sum(1 for r in rows if r.progress.step == Step.COMMENDED),
        "open_rectifications": sum(r.facts.open_rectifications for r in rows if r.facts),
    }
