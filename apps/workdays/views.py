"""The holiday table: everybody reads it; the town office and administrators enter and delete days."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.core import clock
from apps.core.actions import ActionError
from apps.core.views_helpers import run_form

from . import actions
from .calendar import library_kind, notice_period
from .forms import DayOverrideForm, PeriodForm
from .models import DayOverride

WEEKDAYS = "一二三四五六日"


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    return min(max(year, 1950), 2200)


def library_days(year: int) -> list[dict]:
    """The days of a year whose kind differs from the weekday rule, as the libraries see them."""
    day, rows = dt.date(year, 1, 1), []
    while day.year == year:
        working, source = library_kind(day)
        if working != (day.weekday() < 5):
            rows.append({"date": day, "weekday": WEEKDAYS[day.weekday()], "is_workday": working, "source": source})
        day += dt.timedelta(days=1)
    return rows


def calendar_page(request):
    year = _year(request)
    may_edit = actions.may_edit_calendar(request.user)
    form = DayOverrideForm(request.POST if request.method == "POST" else None) if may_edit else None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("您无权修改节假日表。")
        done = run_form(
            request,
            form,
            lambda d: actions.add_day_override(request.user, d["date"], d["is_workday"], d["name"]),
            success="已录入节假日表。",
            redirect_to=lambda day: reverse("workdays:calendar") + f"?year={day.date.year}",
        )
        if done:
            return done
    period_form = PeriodForm(request.GET if "start" in request.GET else None)
    period = None
    if period_form.is_bound and period_form.is_valid():
        d = period_form.cleaned_data
        period = notice_period(d["start"], d["days"], d["kind"])
    overrides = list(DayOverride.objects.filter(date__year=year).select_related("created_by"))
    for day in overrides:
        day.weekday_cn = WEEKDAYS[day.date.weekday()]
    return render(
        request,
        "workdays/calendar.html",
        {
            "year": year,
            "overrides": overrides,
            "library": library_days(year),
            "form": form,
            "may_edit": may_edit,
            "period_form": period_form,
            "period": period,
            "years": [year - 1, year, year + 1],
        },
    )


@require_POST
def override_delete(request, pk: int):
    day = DayOverride.objects.filter(pk=pk).first()
    if day is None:
        raise Http404
    try:
        actions.delete_day_override(request.user, day)
    except ActionError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已删除 {day.date:%Y年%m月%d日} 的调整。")
    return redirect(reverse("workdays:calendar") + f"?year={day.date.year}")
