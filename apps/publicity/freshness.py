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

import hashlib
import time
import zlib
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

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


# A visitor's CSRF token (the objection form, htmx's header) differs per visitor: a shared page holds this mark.
CSRF_MARK = "csrf-token-of-this-visitor"


def public_page(template: str, context: dict) -> bytes:
    """A public page rendered once for every visitor: as an anonymous visitor sees it, with no user, no
    messages and the CSRF token left as a mark — nothing of the request that built it. Compressed: the
    database cache stores values in base64, and a long honour roll shrinks about tenfold."""
    html = render_to_string(template, {**site(None), **context, "user": AnonymousUser(), "messages": (), "csrf_token": CSRF_MARK})
    return zlib.compress(html.encode(), 1)


def page_response(request, page: bytes, *, form: bool = True) -> HttpResponse:
    """The shared page with this visitor's own CSRF token (which also sets its cookie). A page without a form
    (`form=False`) needs none: making one costs every visitor a cookie and random bytes for nothing."""
    token = get_token(request) if form else ""
    return HttpResponse(zlib.decompress(page).replace(CSRF_MARK.encode(), token.encode()))


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
