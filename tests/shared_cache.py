"""What the shared cache holds, read from whichever backend it is: the database cache's table, or Redis (make
test's Redis pass). For scans that prove a value never reaches the cache (personal data)."""

from __future__ import annotations

import base64
import pickle

from django.core.cache import cache
from django.db import connection


def on_redis() -> bool:
    from django.conf import settings

    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def stored_values() -> list:
    if on_redis():
        client = cache._cache.get_client()  # Django's Redis client and serializer: there is no public way to list
        return [cache._cache._serializer.loads(client.get(key)) for key in client.scan_iter("*")]
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM shared_cache")
        # Django's database cache stores pickled values in base64 (our own test database).
        rows = [(key, pickle.loads(base64.b64decode(value))) for key, value in cursor.fetchall()]  # noqa: S301
    # A page's bundle of kept values (apps/audit/ahead.py) holds each one pickled again: the values themselves.
    bundled = [pickle.loads(data) for key, value in rows if ":ahead:" in key for data, _ in value.values()]  # noqa: S301
    return [value for key, value in rows if ":ahead:" not in key] + bundled
