"""API: the campaign's progress rows (API.md `GET campaigns/{id}/progress`), from the same function as the board."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from apps.campaigns.models import Campaign
from apps.core.fetch import fetch
from apps.workdays.api import ErrorOut

from .progress import load_rows

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
        for r in load_rows(request.auth, [campaign])
    ]
