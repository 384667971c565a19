"""Values computed from the actions' data, kept in the shared cache while nothing audited has changed.

Every state change is an action that writes an audit row, so the audit chain's head (`head_mark`) moves with
every change a page could show. `remember(name, user, compute, *parts)` keeps `compute()` under the head read
BEFORE computing (a change committed meanwhile moves the head: the value is stored under the old mark and never
served after it), the user and the day (steps, countdowns and "overdue" move with the date), for at most
FRESH_SECONDS, which bounds what a change made outside the actions (a fixture, a shell) can leave stale. A busy page
computes its values again shortly before they expire, one request while the others still take them
(`refresh_early`), rather than all its requests at once when they have: each value is kept with when it expires.

The code's version is in the key too: a kept value holds instances of the project's classes (rows, steps, dataclasses),
and a deployment that changes one must not unpickle a value the old code kept.

For derived numbers and rows a page is built from (the progress board's rows, the county's summary, the
assessment's ranking), and for the body of a page drawn from them (`KeptBody`, the `{% kept %}` tag): each user's
entry is their own, computed in their scope. Never for a whole page (the navigation, the messages and the CSRF token
are the request's own), and never for the member list, whose rows hold personal data and are read afresh.
"""

from __future__ import annotations

import functools
import hashlib
import math
import pickle
import random
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac

from apps.core import clock
from apps.core.fetch import checked

from . import ahead as ahead_values
from .chain import head_mark, head_read_once

T = TypeVar("T")
FRESH_SECONDS = 60
#: How early before it expires a busy page's kept value is computed again (`refresh_early`), in seconds. Longer than
#: the costliest value takes to compute (a town office's home tasks, 25-50 ms; 100-120 ms when four requests computed
#: them at once), and longer than a busy page's pauses: requests often come in bursts (a script, a reviewer's tabs), and
#: a value that expires in a pause is otherwise computed by every request of the next burst at once (bench/
#: bench_pages.py, which asks a page and the login page in turn, one second each: with 0.1 s, four requests computed a
#: town office's home tasks together). With requests at a rate r, the first one computes it about ln(r·EARLY_SECONDS)
#: early: 7 s at 1,000 requests a second, so a busy page's values live 53 s instead of 60.
EARLY_SECONDS = 1.0
_MISSING = object()
# The requests that only read: the ones `remember_on_read` serves from the shared cache.
_READ_ONLY = ("GET", "HEAD")


def remember(name: str, user, compute: Callable[[], T], *parts: object) -> T:
    key = kept_key(name, user, *parts)
    kept = _kept.get()
    if kept is not None and kept.bundle is not None:
        return kept.take(key, compute)
    ahead = kept.ahead if kept is not None else None
    stored = ahead.pop(key) if ahead and key in ahead else cache.get(key, _MISSING)
    if stored is _MISSING or refresh_early(stored[1], time.time(), _draw()):
        stored = _keep(key, compute())
    return stored[0]


def _keep(key: str, value: T) -> tuple[T, float]:
    """Keeps `value` in the cache under `key` for FRESH_SECONDS, as the pair (value, when it expires): a request that
    reads it without the page's bundle (on Redis, say) knows how soon it expires (`refresh_early`). The whole second:
    the database cache drops a value at the second its expiry falls in."""
    stored = (value, float(math.floor(time.time() + FRESH_SECONDS)))
    cache.set(key, stored, FRESH_SECONDS)
    return stored


def kept_key(name: str, user, *parts: object) -> str:
    """The cache key `remember(name, user, compute, *parts)` keeps its value under now."""
    raw = ":".join([name, str(getattr(user, "pk", None)), *map(str, parts), clock.today().isoformat(), code_version(), head_mark()])
    return f"memo:{name}:{hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()}"


class _Kept:
    """A read-only request's kept values (ReadOnlyRequest): `ahead`, those read ahead and not yet taken by `remember`
    (by key; _MISSING for one the cache did not hold).

    With the page's bundle (apps/audit/ahead.py; `bundle` its key, else None) `ahead` starts as the bundle's entries,
    and holds each value pickled, with its expiry, as the bundle keeps it; `used` collects the entries the page took,
    and `missed` whether any of them was not in the bundle or was computed again before it expired (`refresh_early`):
    the page's next bundle, written at the request's end."""

    __slots__ = ("ahead", "bundle", "bundled", "used", "missed")

    def __init__(self, bundle: str | None = None, entries: ahead_values.Entries | None = None):
        self.ahead: dict = dict(entries or {})
        self.bundle = bundle
        self.bundled = frozenset(self.ahead)
        self.used: ahead_values.Entries = {}
        self.missed = False

    def read(self, keys: list[str]) -> None:
        keys = [key for key in keys if key not in self.ahead]
        if not keys:
            return
        if self.bundle is None:
            found = cache.get_many(keys)
        else:
            found = ahead_values.read(keys)
        self.ahead.update((key, found.get(key, _MISSING)) for key in keys)

    def take(self, key: str, compute: Callable[[], T]) -> T:
        """`remember`'s value of `key` with a bundle: from the bundle, read ahead, read now, or computed and kept (also,
        now and then, shortly before it expires: `refresh_early`)."""
        if key not in self.ahead:
            self.read([key])
        entry = self.ahead.pop(key)
        if entry is not _MISSING and refresh_early(entry[1], time.time(), _draw()):
            entry = _MISSING
            self.missed = True  # the page's next bundle holds the value computed now
        self.missed = self.missed or key not in self.bundled
        if entry is _MISSING:
            stored = _keep(key, compute())
            entry = (pickle.dumps(stored, pickle.HIGHEST_PROTOCOL), stored[1])
        else:
            stored = pickle.loads(entry[0])  # noqa: S301 - the cache's own rows
        self.used[key] = entry
        return stored[0]


def refresh_early(expires: float, now: float, draw: float) -> bool:
    """Whether a request at `now` computes again a kept value that expires at `expires`, before it expires: with the
    probability exp(-(expires - now) / EARLY_SECONDS) for `draw` uniform in (0, 1], always once it has expired
    (probabilistic early expiration, "XFetch": Vattani, Chierichetti and Lowenstein, VLDB 2015).

    A page asked for by many requests at once (a reviewer's tabs, a script) would otherwise have every one of them
    find its values gone at the same instant and compute them all together: with eight connections on the county's
    member list, eight 25 ms computations at once, the slowest second's p95 near 170 ms on a slowed machine
    (bench/bench_pages.py). Early, one request computes them while the others still take the kept values, which are
    no older than they would be without it. A value looked at seldom is, as before, computed when it has expired."""
    return now - EARLY_SECONDS * math.log(draw) >= expires


def _draw() -> float:
    """Uniform in (0, 1]: not a secret, only spreads the requests that compute a value again."""
    return 1.0 - random.random()  # noqa: S311 - not for security


# Within a read-only request (ReadOnlyRequest): its kept values.
_kept: ContextVar[_Kept | None] = ContextVar("kept_values_of_the_request", default=None)


def read_ahead(*keys: str | None) -> None:
    """Reads the kept values of `keys` (`kept_key`s, `KeptBody.key()`; None is skipped) in one read of the cache, for
    `remember` to find later in this request without a read of its own: a round trip each on the database cache or
    Redis. A key whose value was not kept is computed and kept by `remember` as ever. Does nothing outside a
    read-only request. Every key holds the audit head's mark, so a value read ahead is never served under another.
    A key the page's bundle holds (apps/audit/ahead.py) is not read at all."""
    kept = _kept.get()
    if kept is not None:
        kept.read([key for key in keys if key is not None])


class ReadOnlyRequest:
    """Middleware: a GET or HEAD reads the audit head once (apps.audit.chain.head_read_once), and the kept values it
    reads ahead (`read_ahead`) live as long as the request. A signed-in one starts from its page's bundle, read with
    its session (apps/audit/ahead.py), and keeps the values it used as the page's next bundle when they were not all
    in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in _READ_ONLY:
            return self.get_response(request)
        # Only a session loaded already (by SignedInUserMiddleware): an anonymous request has no bundle.
        session = getattr(request, "session", None)
        bundle = getattr(session, "kept_ahead_key", None)
        kept = _Kept(bundle, getattr(session, "kept_ahead", None) if bundle else None)
        token = _kept.set(kept)
        try:
            with head_read_once(request):
                response = self.get_response(request)
            if bundle is not None and kept.missed:
                ahead_values.write(bundle, kept.used)
            return response
        finally:
            _kept.reset(token)


@functools.cache
def code_version() -> str:
    """A digest of the project's Python source and templates (apps/, templates/), the same in every worker of one
    deployment: a kept page body was drawn by the templates of its day."""
    digest = hashlib.blake2b(digest_size=8)
    root = Path(__file__).resolve().parent.parent.parent
    for folder, pattern in (("apps", "*.py"), ("apps", "*.html"), ("templates", "*.html")):
        for path in sorted((root / folder).rglob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def read_only(request) -> bool:
    """Whether `request` only reads (GET, HEAD): the requests kept values are served to."""
    return request.method in _READ_ONLY


def remember_on_read(request, name: str, compute: Callable[[], T], *parts: object, ahead: Iterable[str | None] = ()) -> T:
    """`remember` for a request that only reads (GET, HEAD); `compute()` afresh for one that may change something,
    so an action never starts from a kept value. `ahead`: the keys of the page's other kept values (its body's
    `KeptBody.key()`, say), read with this one in one cache read (`read_ahead`)."""
    if not read_only(request):
        return compute()
    if ahead:
        read_ahead(kept_key(name, request.user, *parts), *ahead)
    return remember(name, request.user, compute, *parts)


def fetch_kept(
    request,
    name: str,
    queryset,
    *,
    may: Callable[[object], bool] | None = None,
    denied: str = "您没有执行此操作的权限。",
    ahead: Iterable[str | None] = (),
    **lookup,
):
    """`fetch` for the object a page works from, read once per audited change (`remember_on_read`): every change to
    it is an action that writes an audit row. Kept per user and lookup; `name` tells apart the call sites, each with
    its own queryset (what it selects with the object). `ahead`: as for `remember_on_read`; the keys' parts must not
    depend on the object (they may hold the object's pk from the address)."""
    user = request.user
    qs = queryset.all() if hasattr(queryset, "get_queryset") else queryset
    found = remember_on_read(request, name, lambda: qs.visible_to(user).filter(**lookup).first(), *_lookup_parts(lookup), ahead=ahead)
    return checked(found, user, may=may, denied=denied)


def fetched_key(request, name: str, **lookup) -> str:
    """The key `fetch_kept(request, name, …, **lookup)` keeps its object under (`read_ahead`)."""
    return kept_key(name, request.user, *_lookup_parts(lookup))


def _lookup_parts(lookup: dict) -> list:
    return sorted(lookup.items())


@functools.cache
def csrf_placeholder() -> str:
    """What a kept page body holds where the CSRF token goes: derived from SECRET_KEY, so the same in every worker
    and never in anything a user could type."""
    return "kept-csrf-" + salted_hmac("apps.audit.memo.csrf_placeholder", "kept page body").hexdigest()


class KeptBody:
    """The body of a page, drawn once per audited change and kept per user (`remember_on_read`), with `compute()`
    giving what it is drawn from — not called at all while the drawn body is kept. The view passes it to the
    template as `body`; the template wraps its content block in `{% kept body %}…{% endkept %}` (apps/audit/
    templatetags/kept.py).

    The body is drawn without a CSRF token (a placeholder stands for it) and each response writes its own freshly
    masked token into the copy it serves. What the drawn body may use: the user, `compute()`'s values and whatever
    `parts` names (a query string, say), the date and the data under the audit head — not the messages, nor
    anything else of the request. On a POST it is drawn afresh and not kept, with the request's own token."""

    def __init__(self, request, name: str, compute: Callable[[], dict], *parts: object):
        self.request, self.name, self.compute, self.parts = request, name, compute, parts

    def key(self) -> str | None:
        """The key the drawn body is kept under (`read_ahead`), or None when it is not kept (a POST)."""
        if self.request.method not in _READ_ONLY:
            return None
        return kept_key(f"body:{self.name}", self.request.user, *self.parts, csrf_placeholder())

    def render(self, draw: Callable[[dict], str]) -> str:
        if self.request.method not in _READ_ONLY:
            return draw(self.compute())
        placeholder = csrf_placeholder()
        # Under the placeholder too: a copy drawn before SECRET_KEY changed holds one this worker would not replace.
        html = remember(
            f"body:{self.name}",
            self.request.user,
            lambda: str(draw({**self.compute(), "csrf_token": placeholder})),
            *self.parts,
            placeholder,
        )
        if placeholder in html:
            html = html.replace(placeholder, get_token(self.request))
        return html  # a template node's output goes into the page as it is: drawn by the templates, autoescaped
