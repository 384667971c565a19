"""Target assessment (目标考核): each branch's score on the campaign's weighted items, and the ranking.

Every item scores a branch 0–100 from facts the system knows (or from the town's manual score); the
branch's total is Σ weight × score / 100, in exact Decimal arithmetic rounded half-up to 0.01 at the end
only. Equal totals share a rank (1, 2, 2, 4). `score_branch` and `rank` are pure; `assessment_rows`
loads the facts in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from apps.meetings.choices import MeetingStatus
from apps.meetings.models import Meeting
from apps.nominations.choices import NominationStatus
from apps.notices.choices import ObjectionStatus
from apps.notices.models import Objection

from .models import AssessmentItem, AssessmentSource, ManualScore, Rectification
from .progress import load_rows

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

DEFAULT_ITEMS = [
    ("按时报送", AssessmentSource.ON_TIME, Decimal(30)),
    ("名额合规", AssessmentSource.QUOTA, Decimal(20)),
    ("党员大会有效", AssessmentSource.QUORATE, Decimal(20)),
    ("异议办结", AssessmentSource.OBJECTIONS, Decimal(10)),
    ("整改按期销号", AssessmentSource.RECTIFICATIONS, Decimal(20)),
]


@dataclass
class AssessmentFacts:
    submitted_on: dt.date | None = None  # the first submission's day
    deadline: dt.date | None = None  # the deadline that applied (the campaign's, or the latest reopening)
    nominations: int = 0  # active ones
    quota: int | None = None  # the meeting's frozen quota
    quorate: bool | None = None
    objections: int = 0
    open_objections: int = 0
    rectifications: int = 0
    closed_on_time: int = 0
    manual: dict[int, Decimal] = field(default_factory=dict)  # item id → score


def fact_score(source: str, f: AssessmentFacts, item_id: int | None = None) -> Decimal:
    """The 0–100 score of one branch on one item."""
    if source == AssessmentSource.ON_TIME:
        return HUNDRED if f.submitted_on is not None and f.deadline is not None and f.submitted_on <= f.deadline else Decimal(0)
    if source == AssessmentSource.QUOTA:
        return HUNDRED if f.quota is not None and 0 < f.nominations <= f.quota else Decimal(0)
    if source == AssessmentSource.QUORATE:
        return HUNDRED if f.quorate else Decimal(0)
    if source == AssessmentSource.OBJECTIONS:
        return Decimal(0) if f.open_objections else HUNDRED
    if source == AssessmentSource.RECTIFICATIONS:
        return HUNDRED if not f.rectifications else HUNDRED * f.closed_on_time / f.rectifications
    return f.manual.get(item_id, Decimal(0))


@dataclass
class Scored:
    org: object
    parts: list[tuple[object, Decimal, Decimal]]  # (item, score 0–100, weighted points)
    total: Decimal
    rank: int = 0


def score_branch(org, items, f: AssessmentFacts) -> Scored:
    parts = []
    exact = Decimal(0)
    for item in items:
        score = fact_score(item.source, f, item.pk)
        points = item.weight * score / HUNDRED
        exact += points
        parts.append((item, score.quantize(CENT, ROUND_HALF_UP), points.quantize(CENT, ROUND_HALF_UP)))
    return Scored(org, parts, exact.quantize(CENT, ROUND_HALF_UP))


def rank(scored: list[Scored]) -> list[Scored]:
    """Highest total first; equal totals share the rank, the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(scored, key=lambda s: (-s.total, s.org.path))
    for i, s in enumerate(ordered):
        s.rank = ordered[i - 1].rank if i and s.total == ordered[i - 1].total else i + 1
    return ordered


def campaign_ranking(user, campaign) -> tuple[list, list[Scored]]:
    """`assessment_rows(user, campaign)` for today, as the page, its export and the API show it: kept while
    nothing audited changes (apps/audit/memo.py)."""
    from apps.audit.memo import remember

    return remember("assessment", user, lambda: assessment_rows(user, campaign), campaign.pk)


def assessment_rows(user, campaign, on: dt.date | None = None) -> tuple[list, list[Scored]]:
    """(items, ranking) for the branches of the campaign the user may see."""
    items = list(AssessmentItem.objects.filter(campaign=campaign))
    rows = load_rows(user, [campaign], on, villages=False, cells=False)
    facts = {r.org.pk: AssessmentFacts(deadline=campaign.deadline) for r in rows}
    for r in rows:
        f = facts[r.org.pk]
        if r.facts:
            f.submitted_on = r.facts.submitted_at.date() if r.facts.submitted_at else None
            if r.facts.reopening_until and r.facts.reopening_until > campaign.deadline:
                f.deadline = r.facts.reopening_until
            f.nominations = len([s for s in r.facts.statuses if s != NominationStatus.WITHDRAWN])
            f.quorate = r.facts.quorate
    meetings = Meeting.objects.filter(campaign=campaign, org_id__in=facts).exclude(status=MeetingStatus.CANCELLED)
    for org_id, quota in meetings.values_list("org_id", "quota_value"):
        facts[org_id].quota = quota
    objections = (
        Objection.objects.filter(notice__campaign=campaign, nomination__org_id__in=facts)
        .values("nomination__org_id")
        .annotate(n=Count("pk"), open=Count("pk", filter=Q(status=ObjectionStatus.OPEN)))
    )
    for o in objections:
        facts[o["nomination__org_id"]].objections, facts[o["nomination__org_id"]].open_objections = o["n"], o["open"]
    rects = (
        Rectification.objects.filter(visit__campaign=campaign, visit__org_id__in=facts)
        .values("visit__org_id")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(closed_on__isnull=False, closed_on__lte=F("due_on"))),
        )
    )
    for r in rects:
        facts[r["visit__org_id"]].rectifications, facts[r["visit__org_id"]].closed_on_time = r["n"], r["on_time"]
    for m in ManualScore.objects.filter(item__campaign=campaign, org_id__in=facts).values("item_id", "org_id", "score"):
        facts[m["org_id"]].manual[m["item_id"]] = m["score"]
    return items, rank([score_branch(r.org, items, facts[r.org.pk]) for r in rows])
