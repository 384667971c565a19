"""Brute-force guard of the anonymous ballot path (page and API): only FAILED code attempts count.

A whole meeting room votes through one address, so valid ballots are never counted. A client (keyed
digest of its IP, apps/notices/ratelimit.py) that has typed FAILURES_PER_WINDOW unknown codes (or codes of
a round not open) within WINDOW seconds is refused further code attempts until the window ends. The count
lives in Django's cache (the database cache every worker shares), never in process memory."""

from __future__ import annotations

import time

from django.core.cache import cache

from apps.notices.ratelimit import client_key

FAILURES_PER_WINDOW = 20
WINDOW = 600
TOO_MANY = "投票码输入错误次数过多，请 10 分钟后再试，或请会议工作人员核对投票码。"


def _key(ip: str | None) -> str:
    return f"ballotfail:{client_key(ip)}:{int(time.time() // WINDOW)}"


def blocked(ip: str | None) -> bool:
    return (cache.get(_key(ip)) or 0) >= FAILURES_PER_WINDOW


def failed(ip: str | None) -> None:
    key = _key(ip)
    cache.add(key, 0, timeout=WINDOW + 60)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW + 60)
