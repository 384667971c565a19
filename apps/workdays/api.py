"""API: the period of a notice (natural or working days)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from ninja import Query, Router, Schema
from pydantic import BeforeValidator, Field

from .calendar import FIRST_DATE, LAST_DATE, MAX_DAYS, notice_period

router = Router(tags=["工作日历"])


def _iso_date(value):
    """Dates only as YYYY-MM-DD (API.md), not as numbers (pydantic would read 0 as 1970-01-01)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("日期格式应为 YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class ErrorOut(Schema):
    """The error format of API.md (the handlers in apps/api/api.py write it)."""

    detail: str
    blockers: list[str]


class PeriodQuery(Schema):
    start: IsoDate = Field(ge=FIRST_DATE, le=LAST_DATE)
    days: int = Field(5, ge=1, le=MAX_DAYS)
    kind: Literal["natural", "working"] = "working"


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    days: list[dt.date]
    warnings: list[str]


@router.get("notice-period", response={200: PeriodOut, 400: ErrorOut, 401: ErrorOut}, summary="计算公示期（自然日或工作日）")
def get_notice_period(request, params: Query[PeriodQuery]):
    """`end` is the last day of the period; `days` the days counted; `warnings` name years whose holidays the
    system does not know (only weekends skipped) or only estimates."""
    period = notice_period(params.start, params.days, params.kind)
    return {"start": period.start, "end": period.end, "days": period.days, "warnings": period.warnings}
