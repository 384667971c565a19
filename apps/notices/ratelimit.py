"""A fixed-window rate limit per client, kept in Django's cache (the database cache every worker shares).

The client key is a keyed digest of the IP address: the cache never holds the address itself."""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

OBJECTIONS_PER_HOUR = 5
WINDOW = 3600


def client_key(ip: str | None) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), (ip or "unknown").encode(), hashlib.sha256).hexdigest()[:32]


def allow(scope: str, ip: str | None, *, limit: int = OBJECTIONS_PER_HOUR, window: int = WINDOW) -> bool:
    """Count one attempt of this client; False once it has used `limit` attempts in the current window."""
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{client_key(ip)}:{bucket}"
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 60)
        count = 1
    return count <= limit
