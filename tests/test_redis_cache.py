"""The shared cache on Redis (CACHE_URL, for a county's several app servers). `make test` runs the tests of shared
state — rate limits, ballot-code throttles, kept pages and rows, and the sign-in checks — a second time with the
cache on a throwaway Redis (scripts/with-redis.sh); the tests below that need Redis run in that pass."""

from __future__ import annotations

import os

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.core import clock
from apps.core.cache import RedisCache
from apps.meetings import ballot_limit
from apps.notices import actions as notices
from apps.notices.ratelimit import OBJECTIONS_PER_HOUR, allow
from apps.publicity.freshness import FRESH_SECONDS
from config.settings import caches_for

from .build_notices import listed_nomination
from .shared_cache import on_redis

needs_redis = pytest.mark.skipif(not on_redis(), reason="runs in make test's Redis pass (CACHE_URL)")


def test_cache_url_chooses_redis_or_the_database_cache_and_refuses_anything_else():
    assert caches_for("redis://10.0.0.5:6379/1")["default"]["BACKEND"] == "apps.core.cache.RedisCache"
    assert caches_for("redis://10.0.0.5:6379/1")["default"]["OPTIONS"]["socket_timeout"] <= 5
    assert caches_for("unix:///run/redis.sock")["default"]["LOCATION"] == "unix:///run/redis.sock"
    assert caches_for("")["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        caches_for("memcached://10.0.0.5:11211")


def test_the_cache_is_the_one_cache_url_names(db):
    """In the Redis pass a value set through Django is in that Redis; without CACHE_URL it is the database's."""
    url = os.environ.get("CACHE_URL", "")
    cache.set("which-cache", "shared", 30)
    if url:
        assert on_redis()
        assert redis.Redis.from_url(url).get(":1:which-cache") is not None
    else:
        assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache") and not on_redis()


def other_worker() -> RedisCache:
    """A second connection of its own, as another worker process or app server holds."""
    config = settings.CACHES["default"]
    return RedisCache(config["LOCATION"], {"OPTIONS": config.get("OPTIONS", {})})


@needs_redis
def test_two_workers_see_one_objection_count(db):
    for _ in range(OBJECTIONS_PER_HOUR):
        assert allow("objection", "10.2.2.2")
    other = other_worker()
    counted = list(other._cache.get_client().scan_iter("*ratelimit:objection:*"))
    assert len(counted) == 1 and other.get(counted[0].decode().split(":", 2)[2]) == OBJECTIONS_PER_HOUR
    assert not allow("objection", "10.2.2.2")  # the sixth, whichever worker takes it
    assert allow("objection", "10.2.2.3")


@needs_redis
def test_two_workers_see_one_ballot_failure_count(db):
    for _ in range(ballot_limit.FAILURES_PER_WINDOW):
        ballot_limit.failed("10.3.3.3")
    assert other_worker().get(ballot_limit._key("10.3.3.3")) == ballot_limit.FAILURES_PER_WINDOW
    assert ballot_limit.blocked("10.3.3.3") and not ballot_limit.blocked("10.3.3.4")


@needs_redis
def test_kept_public_pages_expire_within_a_minute_on_redis(world):
    listed_nomination(world.campaign, world.member2)
    notice = notices.create_notice(world.office, world.campaign, clock.today())
    assert Client().get(notice.public_path()).status_code == 200
    assert Client().get(f"/public/towns/{world.town.pk}/").status_code == 200
    client = cache._cache.get_client()
    pages = list(client.scan_iter("*-page:*"))
    assert len(pages) == 2
    assert all(0 < client.ttl(k) <= FRESH_SECONDS for k in pages)


@needs_redis
def test_each_cache_call_uses_the_same_client_of_the_same_pool(db):
    """Django builds a redis.Redis per call; apps.core.cache keeps one per pool, and the values still go through."""
    client = cache._cache.get_client()
    assert cache._cache.get_client() is client and cache._cache.get_client(write=True) is client
    cache.set("kept-client", "one", 30)
    assert cache.get_many(["kept-client", "missing"]) == {"kept-client": "one"}
    assert other_worker().get("kept-client") == "one"  # another worker, its own client and pool, the same Redis


@needs_redis
def test_with_the_cache_on_redis_a_page_reads_no_bundle_with_its_session(world):
    """Bundles of a page's kept values are rows of the database cache (apps/audit/ahead.py); on Redis the kept values
    are read from Redis, as before."""
    client = Client()
    client.force_login(world.office)
    first = client.get("/members/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/members/")
    assert first.status_code == again.status_code == 200
    assert all("shared_cache" not in q["sql"] for q in queries)
