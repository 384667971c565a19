"""API: the campaign's progress rows (API.md `GET campaigns/{id}/progress`), from the same function as the board."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from apps.campaigns.models import Campaign
from apps.core.fetch import fetch
from apps.workdays.api import ErrorOut

from .progress import campaign_rows

router = Router(tags=["督促检查"])


class ProgressOut(Schema):
    org_id: int
    step: str
    step_label: str
    deadline: dt.date
    overdue: bool


ERRORS = {401: ErrorOut, 404: ErrorOut}


@router.get("campaigns/{id}/progress", response={200: list[ProgressOut], **ERRORS}, summary="各支部（及示范村候选对象）进度")
def progress(request, id: int):
    """One row per branch (and candidate village) of the campaign the caller may see: its current step
    (`no_meeting, meeting, attendance, voted, proposed, returned, submitted, approved, listed, notice,
    noticed, commended, withdrawn`), the step's Chinese label, the submission deadline, and `overdue`
    (the deadline passed without submission and without a running reopening). A branch secretary gets
    its own row; an inspector only candidate villages."""
    campaign = fetch(request.auth, Campaign.objects.select_related("town"), pk=id)
    return [
        {
            "org_id": r.org.pk,
            "step": r.progress.step.value,
            "step_label": r.progress.label,
            "deadline": r.deadline,
            "overdue": r.progress.overdue,
        }
        for r in campaign_rows(request.auth, campaign)
    ]


class AssessmentItemOut(Schema):
    id: int
    order: int
    name: str
    source: str
    weight: str


class ItemScoreOut(Schema):
    item_id: int
    score: str
    points: str


class RankedOut(Schema):
    org_id: int
    rank: int
    total: str
    scores: list[ItemScoreOut]


class AssessmentOut(Schema):
    items: list[AssessmentItemOut]
    ranking: list[RankedOut]


@router.get("campaigns/{id}/assessment", response={200: AssessmentOut, 403: ErrorOut, **ERRORS}, summary="目标考核排名")
def assessment(request, id: int):
    """The campaign's assessment items (`source`: on_time, quota, quorate, objections, rectifications,
    manual; `weight` a decimal string) and the ranking of the branches the caller may see: `total` =
    Σ weight × score / 100 (decimal strings, 0.01), equal totals share a rank. 403 for an inspector."""
    from .assessment import campaign_ranking
    from .views import may_see_board

    campaign = fetch(
        request.auth, Campaign.objects.select_related("town"), pk=id, may=may_see_board, denied="督查组成员只查看示范村考察任务。"
    )
    items, ranking = campaign_ranking(request.auth, campaign)
    return {
        "items": [{"id": i.pk, "order": i.order, "name": i.name, "source": i.source, "weight": str(i.weight)} for i in items],
        "ranking": [
            {
                "org_id": s.org.pk,
                "rank": s.rank,
                "total": str(s.total),
                "scores": [{"item_id": item.pk, "score": str(score), "points": str(points)} for item, score, points in s.parts],
            }
            for s in ranking
        ],
    }
