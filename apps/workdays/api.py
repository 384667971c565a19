"""API: the period of a notice (natural or working days)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from .calendar import MAX_DAYS, notice_period

router = Router(tags=["工作日历"])


class PeriodQuery(Schema):
    start: dt.date
    days: int = Field(5, ge=1, le=MAX_DAYS)
    kind: Literal["natural", "working"] = "working"


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    days: list[dt.date]
    warnings: list[str]


@router.get("notice-period", response=PeriodOut, summary="计算公示期（自然日或工作日）")
def get_notice_period(request, params: Query[PeriodQuery]):
    """`end` is the last day of the period; `days` the days counted; `warnings` name years whose holidays the
    system does not know (only weekends skipped) or only estimates."""
    period = notice_period(params.start, params.days, params.kind)
    return {"start": period.start, "end": period.end, "days": period.days, "warnings": period.warnings}
