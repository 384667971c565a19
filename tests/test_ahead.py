"""The kept values a signed-in page used last time, read with its session (apps/audit/ahead.py): a second look at a
page reads none of them on its own; what it shows is what it would show without the bundle."""

from __future__ import annotations

import datetime as dt
import math
import pickle
import random
import re
import time

import pytest
import time_machine
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from apps.audit import ahead, memo
from apps.audit.log import record
from apps.audit.memo import EARLY_SECONDS, FRESH_SECONDS, ReadOnlyRequest, refresh_early, remember
from apps.orgs import actions
from apps.orgs.models import Member

from .shared_cache import on_redis

pytestmark = pytest.mark.skipif(on_redis(), reason="bundles are rows of the database cache")

PAGES = ["/", "/members/", "/members/?q=张", "/members/?page=1", "/orgs/", "/campaigns/{campaign}/progress/"]


def _page(response) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())  # but for the freshly masked CSRF tokens


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _look(client, url, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries]


def _cache_statements(sqls: list[str]) -> list[str]:
    """The statements that read or write the cache on their own (the session's query reads the bundle with itself)."""
    return [sql for sql in sqls if "shared_cache" in sql and "accounts_usersession" not in sql]


@pytest.mark.parametrize("url", PAGES)
def test_a_second_look_reads_no_kept_value_of_its_own_and_shows_the_same_page(world, url):
    client = _signed_in(world.office)
    url = url.format(campaign=world.campaign.pk)
    first, first_sqls = _look(client, url)
    assert _cache_statements(first_sqls)  # read (and kept) its values, then kept them as the page's bundle
    again, sqls = _look(client, url)
    assert _page(again) == _page(first)
    assert _cache_statements(sqls) == []  # nothing read, nothing written
    assert "shared_cache" in sqls[0] and "accounts_usersession" in sqls[0]  # the bundle, read with the session


def test_the_member_list_is_the_session_and_its_rows_on_a_second_look(world):
    client = _signed_in(world.office)
    _look(client, "/members/")
    _, sqls = _look(client, "/members/?page=1")  # the page number is not the page's: the same bundle
    assert len(sqls) == 2 and "orgs_member" in sqls[1], sqls


def test_the_table_alone_has_a_bundle_of_its_own(world):
    """htmx asks for the member table alone at the same address: it uses other kept values than the whole page."""
    client = _signed_in(world.office)
    whole, _ = _look(client, "/members/?q=张")
    table, _ = _look(client, "/members/?q=张", headers={"HX-Request": "true"})
    assert "<html" in whole.content.decode() and "<html" not in table.content.decode()
    for _ in range(2):
        again, sqls = _look(client, "/members/?q=张", headers={"HX-Request": "true"})
        assert _cache_statements(sqls) == [] and _page(again) == _page(table)
        again, sqls = _look(client, "/members/?q=张")
        assert _cache_statements(sqls) == [] and _page(again) == _page(whole)


def test_after_an_audited_change_the_page_shows_it(world):
    client = _signed_in(world.office)
    before, _ = _look(client, "/members/")
    _look(client, "/members/")
    member = Member.objects.get(pk=world.member.pk)
    actions.update_member(world.office, member, {"name": "张三丰"})
    after, sqls = _look(client, "/members/")
    assert "张三丰" in after.content.decode() and "张三丰" not in before.content.decode()
    assert _cache_statements(sqls)  # its keys are new: read and computed again, and kept as the new bundle
    again, sqls = _look(client, "/members/")
    assert _cache_statements(sqls) == [] and _page(again) == _page(after)


def test_an_audited_change_in_another_session_makes_the_page_read_its_values_again(world):
    """Another user's audited change moves the head: this session's bundle holds nothing under the new mark."""
    office, other = _signed_in(world.office), _signed_in(world.admin)
    url = f"/campaigns/{world.campaign.pk}/progress/"
    first, _ = _look(office, url)
    _look(office, url)
    with transaction.atomic():
        record(world.admin, "member.update", note="另一会话的改动")
    assert other.get("/").status_code == 200
    _, sqls = _look(office, url)
    assert _cache_statements(sqls)


def test_each_session_has_its_own_bundle(world):
    office, secretary = _signed_in(world.office), _signed_in(world.secretary)
    office_page, _ = _look(office, "/members/")
    secretary_page, _ = _look(secretary, "/members/")
    assert "王五" in office_page.content.decode() and "王五" not in secretary_page.content.decode()
    for _ in range(2):
        again, sqls = _look(office, "/members/")
        assert _page(again) == _page(office_page) and _cache_statements(sqls) == []
        again, sqls = _look(secretary, "/members/")
        assert _page(again) == _page(secretary_page) and _cache_statements(sqls) == []
    # The same user signed in again: a session of its own, which starts without a bundle.
    _, sqls = _look(_signed_in(world.office), "/members/")
    assert _cache_statements(sqls)


def test_a_bundle_lasts_no_longer_than_its_values(world, monkeypatch):
    client = _signed_in(world.office)
    monkeypatch.setattr(memo, "_draw", lambda: 1.0)  # never early (refresh_early): only the expiry counts here
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as clock:
        _look(client, "/members/")
        clock.shift(FRESH_SECONDS - 5)
        _, sqls = _look(client, "/members/")
        assert _cache_statements(sqls) == []
        clock.shift(10)  # past the expiry of the values the first look computed
        _, sqls = _look(client, "/members/")
        assert _cache_statements(sqls)


def test_a_busy_page_computes_its_values_again_before_they_expire(world, monkeypatch):
    """One request computes the page's values shortly before they expire, so the requests after it do not find them
    gone all at once."""
    client = _signed_in(world.office)
    # On a whole second: a value expires at the second its expiry falls in (apps.audit.memo._keep).
    with time_machine.travel(dt.datetime.now(dt.UTC).replace(microsecond=0), tick=False) as clock:
        first, _ = _look(client, "/members/")
        clock.shift(FRESH_SECONDS - 0.01)
        monkeypatch.setattr(memo, "_draw", lambda: 1.0)  # never early
        _, sqls = _look(client, "/members/")
        assert _cache_statements(sqls) == []  # not expired yet: the bundle's values
        monkeypatch.setattr(memo, "_draw", lambda: 0.5)  # early by EARLY_SECONDS·ln 2 ≈ 0.7 s > the 0.01 s left
        early, sqls = _look(client, "/members/")
        assert _cache_statements(sqls)  # computed, kept, and kept as the page's new bundle
        assert _page(early) == _page(first)
        monkeypatch.setattr(memo, "_draw", lambda: 1.0)  # never early
        clock.shift(1)  # past the expiry of the values the first look computed
        again, sqls = _look(client, "/members/")
        assert _cache_statements(sqls) == []  # the values computed early still hold
        assert _page(again) == _page(first)


@pytest.mark.parametrize(
    ("left", "draw", "early"),
    [
        (25.0, 1e-9, False),  # far from its expiry: not even the smallest draw (ln 1e9 ≈ 20.7)
        (0.5, 0.5, True),  # ln 2 ≈ 0.69 ahead
        (0.2, 0.9, False),  # ln(1/0.9) ≈ 0.11 ahead
        (0.0, 1.0, True),  # expired: always
        (-1.0, 1.0, True),
    ],
)
def test_refresh_early(left, draw, early):
    """`left`: the time to its expiry, in EARLY_SECONDS."""
    assert refresh_early(1000.0 + left * EARLY_SECONDS, 1000.0, draw) is early


def test_refresh_early_grows_likelier_as_a_value_nears_its_expiry():
    draws = random.Random(7)
    for left in (EARLY_SECONDS / 2, EARLY_SECONDS, 3 * EARLY_SECONDS):
        share = sum(refresh_early(left, 0.0, 1.0 - draws.random()) for _ in range(20000)) / 20000
        assert share == pytest.approx(math.exp(-left / EARLY_SECONDS), abs=0.02), left


def test_a_value_expiring_between_two_bursts_was_computed_again_in_the_first():
    """Requests in bursts, as bench/bench_pages.py asks a page: one second at 1,000 requests a second, then a second's
    pause (it asks the login page). A kept value that expires in a pause has almost always been computed again early
    by one request of the burst before it; else every request of the next burst would find it gone and compute it at
    once (four did, with EARLY_SECONDS at 0.1 s). The expiry falls anywhere in the two seconds' cycle."""
    draws = random.Random(13)
    rate, burst, cycle = 1000, 1.0, 2.0
    missed = 0
    trials = 200
    for _ in range(trials):
        expires = 100.0 + draws.random() * cycle  # a burst runs from each even second for `burst` seconds
        times = [t / rate for t in range(int((expires - 10) * rate), int(expires * rate)) if (t / rate) % cycle < burst]
        if not any(refresh_early(expires, now, 1.0 - draws.random()) for now in times):
            missed += 1
    assert missed <= trials // 100


def test_a_request_that_may_change_something_reads_no_bundle(world):
    client = _signed_in(world.office)
    _look(client, "/members/")
    with CaptureQueriesContext(connection) as queries:
        client.post(f"/members/{world.member.pk}/appraisal/", {"ap-year": "不是年份"})
    session_reads = [q["sql"] for q in queries if "accounts_usersession" in q["sql"]]
    assert session_reads and all("shared_cache" not in sql for sql in session_reads)


def test_a_value_changed_in_place_after_it_was_taken_is_not_what_the_bundle_keeps(world):
    """The bundle keeps each value as it was read or computed, not as the page left it."""
    bundle = ahead.bundle_key("a-session-key", "a page")

    class Session:
        kept_ahead_key = bundle

        def __init__(self, entries):
            self.kept_ahead = entries

    def look(entries):
        taken = []

        def view(request):
            rows = remember("rows", world.office, lambda: [1, 2])
            taken.append(list(rows))
            rows.append("changed by the page")
            return HttpResponse()

        request = RequestFactory().get("/")
        request.session = Session(entries)
        ReadOnlyRequest(view)(request)
        return taken[0]

    assert look({}) == [1, 2]
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM shared_cache WHERE cache_key = %s", [bundle])
        (text,) = cursor.fetchone()
    entries = ahead.unpack(text)
    assert len(entries) == 1
    assert look(entries) == [1, 2]


def test_an_expired_bundle_gives_nothing(world):
    bundle = ahead.bundle_key("another-session-key", "a page")
    value = ("kept", 0)
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as clock:
        ahead.write(bundle, {"memo:x": (pickle.dumps(value), time.time() + 30)})
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM shared_cache WHERE cache_key = %s", [bundle])
            (text,) = cursor.fetchone()
        assert pickle.loads(ahead.unpack(text)["memo:x"][0]) == value
        clock.shift(31)
        assert ahead.unpack(text) == {}
