"""The 公示 pages run a fixed number of queries however many nominations and objections they show; the
period calculation holds its invariants for any start, length and kind (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.core import clock
from apps.nominations.models import Nomination
from apps.notices.actions import create_notice, record_objection
from apps.notices.models import Notice, Objection
from apps.workdays.calendar import library_kind, notice_period

from . import factories as f
from .build_notices import listed_nomination


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _build(w, size: int):
    """`size` listed nominations, posted in one ended notice, with `size` objections."""
    Objection.objects.all().delete()
    Notice.nominations.through.objects.all().delete()
    Notice.objects.all().delete()
    Nomination.objects.all().delete()
    for i in range(size):
        listed_nomination(w.campaign, f.member(w.village, f"候选{size}-{i:02d}"))
    notice = create_notice(w.office, w.campaign, clock.today() - dt.timedelta(days=30))
    first = notice.nominations.first()
    for i in range(size):
        record_objection(w.office, notice, text=f"来信{i}", received_on=notice.start, nomination_id=first.pk)
    return notice


PAGES = {
    "public notice": lambda w, n: n.public_path(),
    "notice detail": lambda w, n: n.get_absolute_url(),
    "notice list": lambda w, n: f"/campaigns/{w.campaign.pk}/notices/",
    "objection list": lambda w, n: f"/campaigns/{w.campaign.pk}/objections/",
    "commendation": lambda w, n: f"/campaigns/{w.campaign.pk}/commendation/",
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_the_rows(world, client, page):
    client.force_login(world.office)
    few = _count(client, PAGES[page](world, _build(world, 2)))
    many = _count(client, PAGES[page](world, _build(world, 12)))
    assert many == few, f"{page}: {few} queries with 2 rows, {many} with 12"


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2030, 12, 31)),
    days=st.integers(min_value=1, max_value=30),
    kind=st.sampled_from(["natural", "working"]),
)
def test_period_invariants(start, days, kind):
    period = notice_period(start, days, kind, overrides={})
    assert len(period.days) == days
    assert period.days == sorted(set(period.days))
    assert period.days[-1] == period.end and period.days[0] >= start
    if kind == "natural":
        assert period.days[0] == start and period.end == start + dt.timedelta(days=days - 1)
    else:
        # Every counted day is a working day, and no working day between start and end was skipped.
        day, counted = start, set(period.days)
        while day <= period.end:
            assert library_kind(day)[0] == (day in counted)
            day += dt.timedelta(days=1)
