"""What the public pages keep in Django's cache (the database cache every worker shares), and how it is made stale.

A public page's rendered fragment (or a poster's PDF) is kept for at most FRESH_SECONDS, so a published change
shows within a minute without anyone doing anything. A change the public must see at once — a nomination
withdrawn after an upheld objection, a story published or taken down, a plaque revoked — bumps a generation
number in the same action: every entry stored under an older generation is then ignored. Entries hold public
data only (names, organizations, posts, deeds), never a visitor's or a member's personal data.

The generation is read together with the entry (one `get_many`, one query on the database cache), and read
BEFORE the data it guards, so a page built from data read before a change commits is stored under the old
generation and never served after the bump."""

from __future__ import annotations

import gzip
import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

from apps.core.context_processors import site

FRESH_SECONDS = 60


def town_generation(town_id: int) -> str:
    return f"public:gen:town:{town_id}"


def notice_generation(public_id: str) -> str:
    return f"public:gen:notice:{public_id}"


def host_key(request) -> str:
    """Pages hold absolute addresses (share metadata, QR codes): one entry per scheme and host."""
    return hashlib.sha256(f"{request.scheme}://{request.get_host()}".encode()).hexdigest()[:12]


def cached(key: str, generations: list[str], build: Callable[[], Any], timeout: int = FRESH_SECONDS) -> Any:
    got = cache.get_many([key, *generations])
    stamp = tuple(got.get(g, 0) for g in generations)
    entry = got.get(key)
    if entry is not None and entry[0] == stamp:
        return entry[1]
    value = build()
    cache.set(key, (stamp, value), timeout)
    return value


def public_page(template: str, context: dict) -> bytes:
    """A public page rendered once for every visitor: as an anonymous visitor sees it, with no user, no messages
    and no CSRF token — nothing of the request that built it. A kept page therefore holds no form to post (the
    objection form is a page of its own): serving it costs a visitor no cookie and no random bytes. Kept gzipped:
    a phone's browser takes the bytes as they are (a fifth of the page's size on the wire), and the database
    cache, which stores values in base64, holds a fifth as much."""
    html = render_to_string(template, {**site(None), **context, "user": AnonymousUser(), "messages": (), "csrf_token": ""})
    return gzip.compress(html.encode(), compresslevel=6, mtime=0)


def page_response(request, page: bytes) -> HttpResponse:
    """A kept page as it is, gzipped, to a client that accepts gzip (every phone browser); unpacked otherwise.
    The page holds no secret of the visitor's (no CSRF token), so compression reveals nothing (BREACH)."""
    if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")):  # as Django's GZipMiddleware reads it
        response = HttpResponse(page)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(page))
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def invalidate(*generations: str) -> None:
    """Make every entry under these generations stale: now (inside the caller's transaction — the database cache
    commits with it) and again once the transaction commits (a cache outside the database, or a page built
    between the first bump and the commit)."""

    def bump() -> None:
        cache.set_many({g: time.time_ns() for g in generations}, timeout=None)

    bump()
    transaction.on_commit(bump)


def invalidate_town(town_id: int) -> None:
    invalidate(town_generation(town_id))


def revoked(sender, instance, created: bool, **kwargs) -> None:
    """A plaque or a certificate withdrawn (摘牌, apps/villages/registry.py): the honour roll drops it at once."""
    plaque = instance.village or instance.nomination
    invalidate_town(plaque.campaign.town_id)
