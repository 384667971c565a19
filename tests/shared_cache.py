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
        cursor.execute("SELECT value FROM shared_cache")
        # Django's database cache stores pickled values in base64 (our own test database).
        return [pickle.loads(base64.b64decode(value)) for (value,) in cursor.fetchall()]  # noqa: S301
