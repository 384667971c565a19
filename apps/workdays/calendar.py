"""Working days in China, and the period of a 公示 (SPEC §3 step 4).

A day is a working day unless it is a weekend or a statutory holiday; a Saturday or Sunday declared a
working day by the State Council's arrangement (调休上班) is a working day. Sources, in order:

1. the holiday table (`DayOverride`), edited by the town office: it wins for the days it names;
2. `chinese_calendar` (the official arrangements, years it knows: 2004–2026 in the pinned version;
   it raises NotImplementedError for other years);
3. `holidays` (country CN) for years chinese_calendar does not know: its holidays, and the adjusted
   working days where it has them. For a year the official arrangement of which is not published yet it
   only estimates, so a warning asks the office to check that year;
4. otherwise weekends only, with a warning telling the office to enter that year's holidays.

A year with at least one entry in the holiday table counts as entered by the office: no warning for it.

Natural days: the period is `days` consecutive days from the start. Working days: the start day counts
when it is a working day; the end is the day on which the `days`-th working day falls.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

NATURAL = "natural"
WORKING = "working"
KINDS = (NATURAL, WORKING)
MAX_DAYS = 60
# Dates the calendar accepts as a start (a period can't run past the end of the calendar).
FIRST_DATE = dt.date(1950, 1, 1)
LAST_DATE = dt.date(2199, 12, 31)
# Working days never lie further apart than this (the longest holiday is 9 days); a safety stop.
_MAX_SCAN = 3 * MAX_DAYS + 400


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    days: list[dt.date]  # the days counted, in order
    warnings: list[str] = field(default_factory=list)


def _chinese_calendar(day: dt.date) -> bool | None:
    """True/False from chinese_calendar, or None when it does not know the year."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@lru_cache(maxsize=64)
def _holidays_year(year: int):
    """(holidays, adjusted working days, has_arrangement) from the `holidays` package, or None."""
    import holidays

    cls = holidays.CN
    if not (cls.start_year <= year <= getattr(cls, "end_year", 2100)):
        return None
    table = holidays.country_holidays("CN", years=year)
    workdays = frozenset(d for d in getattr(table, "weekend_workdays", ()) if d.year == year)
    return frozenset(d for d in table if d.year == year), workdays, bool(workdays)


def library_kind(day: dt.date) -> tuple[bool, str]:
    """(is a working day, source) from the libraries alone: "chinese_calendar", "holidays" or "weekend"."""
    known = _chinese_calendar(day)
    if known is not None:
        return known, "chinese_calendar"
    info = _holidays_year(day.year)
    if info is not None:
        off, on, _ = info
        if day in on:
            return True, "holidays"
        return (day.weekday() < 5 and day not in off), "holidays"
    return day.weekday() < 5, "weekend"


def _year_warning(year: int, source: str) -> str | None:
    if source == "chinese_calendar":
        return None
    if source == "holidays":
        info = _holidays_year(year)
        if info is not None and info[2]:
            return None  # holidays carries that year's published arrangement
        return (
            f"{year} 年的法定节假日按通用日历推算，尚无该年国务院办公厅公布的调休安排，"
            f"请核对并在“节假日表”中录入 {year} 年的放假和调休上班日期。"
        )
    return f"系统不掌握 {year} 年的法定节假日，仅按周末计算；请在“节假日表”中录入 {year} 年的放假和调休上班日期。"


def notice_period(start: dt.date, days: int, kind: str, *, overrides: dict[dt.date, bool] | None = None) -> Period:
    """The period of a notice of `days` natural or working days beginning on `start`.

    `overrides` (date → is working day) replaces the holiday table, for callers that already hold it."""
    if kind not in KINDS:
        raise ValueError(f"unknown day kind {kind!r}")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}")
    if not FIRST_DATE <= start <= LAST_DATE:
        raise ValueError(f"start must lie between {FIRST_DATE} and {LAST_DATE}")
    if kind == NATURAL:
        counted = [start + dt.timedelta(days=i) for i in range(days)]
        return Period(start, counted[-1], counted, [])

    if overrides is None:
        overrides = load_overrides(start, start + dt.timedelta(days=_MAX_SCAN))
    entered_years = {d.year for d in overrides}
    counted: list[dt.date] = []
    sources: dict[int, str] = {}
    day = start
    for _ in range(_MAX_SCAN):
        if day in overrides:
            working = overrides[day]
        else:
            working, source = library_kind(day)
            sources.setdefault(day.year, source)
        if working:
            counted.append(day)
            if len(counted) == days:
                break
        day += dt.timedelta(days=1)
    warnings = [
        w for year, source in sorted(sources.items()) if year not in entered_years and (w := _year_warning(year, source)) is not None
    ]
    return Period(start, counted[-1], counted, warnings)


def load_overrides(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    """The holiday table for the whole years between two dates (so that a year with entries is known as entered)."""
    from .models import DayOverride

    rows = DayOverride.objects.filter(date__gte=first.replace(month=1, day=1), date__lte=last.replace(month=12, day=31))
    return dict(rows.values_list("date", "is_workday"))
