"""The kept values a signed-in page used last time, read with its session: one database round trip less a page.

A signed-in page reads its session (with its user and the audit head: apps/accounts/sessions.py), then its kept
values (apps/audit/memo.py: `read_ahead`, `remember`): two round trips before it reads anything of its own. With the
shared cache in the database (the default: Django's database cache), the values a page used are also kept together,
as one row of the cache, under a key of the session and the page (`bundle_key`: a digest of the session's key, the
path and whether htmx asked for a part of the page), and the session's query reads that row with the session. The
next look at the page finds its values there and reads nothing from the cache on its own (bench/bench_pages.py: a
round trip was a seventh of a member list page's cost on PostgreSQL).

The bundle holds each value under its own kept key, which names the user, the parts, the date, the code's version and
the audit head's mark (apps.audit.memo.kept_key): a value is only ever taken where `remember` would have taken it from
the cache. After an audited change a page's keys are new, it finds none of them in its bundle, reads and computes as
before, and its request keeps the values it used as the page's new bundle. A bundle lasts until the first of its
values would expire in the cache (at most FRESH_SECONDS after it was computed), so no value is served for longer than
it would have been without bundles.

The values are kept as the cache keeps them (pickled), and each is unpickled only when the page takes it: a value the
page changes in place after taking it is never what the next bundle holds.

With the shared cache on Redis there is no bundle: the session's database cannot read Redis in the same query.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import pickle
import time

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router
from django.db.models.expressions import RawSQL

#: What the bundle's key stands in for while the session's query is compiled: no cache row has it (a made key
#: begins with the cache's prefix and version, ":1:" by default).
PROBE = "-no-such-bundle-"
#: A bundle: kept key → (the value pickled, when it expires in seconds since the epoch).
Entries = dict[str, tuple[bytes, float]]

_EXPIRES = models.Expression(output_field=models.DateTimeField())


def enabled() -> bool:
    """Whether the shared cache is Django's database cache (apps/core: the table `shared_cache`)."""
    return isinstance(caches["default"], DatabaseCache)


def page_of(request) -> str:
    """What names the page a read-only request asks for, for its bundle: the path, and whether htmx asks for a part of
    it (the same address then uses other kept values)."""
    meta = request.META
    return f"{request.path_info}\n{meta.get('HTTP_HX_REQUEST', '')}\n{meta.get('HTTP_HX_BOOSTED', '')}"


def bundle_key(session_key: str, page: str) -> str:
    """The cache key (made, as stored) of the bundle of the session `session_key` for `page`: a digest, so the cache
    holds no session key."""
    digest = hashlib.blake2b(f"{session_key}\n{page}".encode(), digest_size=16).hexdigest()
    return caches["default"].make_key(f"ahead:{digest}")


def session_column() -> dict[str, RawSQL]:
    """The bundle's stored text (None when there is none) as the column `kept_ahead` of the session's query, whose
    first parameter is then the bundle's key."""
    table = caches["default"]._table  # the settings' name; the key is a parameter
    sql = f'SELECT "value" FROM "{table}" WHERE "cache_key" = %s'  # noqa: S608 - quoted alike by PostgreSQL and SQLite
    return {"kept_ahead": RawSQL(sql, (PROBE,), output_field=models.TextField())}  # noqa: S611


def unpack(text: str | None) -> Entries:
    """The entries of a bundle as the session's query read it, those not expired."""
    if not text:
        return {}
    entries: Entries = pickle.loads(base64.b64decode(text.encode()))  # noqa: S301 - the cache's own rows
    now = time.time()
    return {key: entry for key, entry in entries.items() if entry[1] > now}


def read(keys: list[str]) -> Entries:
    """The kept values of `keys` (as given to the cache) that the cache holds, pickled, with when each expires: what
    Django's `get_many` reads, but for the expiry, which a bundle needs."""
    cache = caches["default"]
    made = {cache.make_and_validate_key(key): key for key in keys}
    connection = connections[router.db_for_read(cache.cache_model_class)]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote('cache_key')}, {quote('value')}, {quote('expires')} FROM {quote(cache._table)} "  # noqa: S608 - names
        f"WHERE {quote('cache_key')} IN ({', '.join(['%s'] * len(made))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(made))
        rows = cursor.fetchall()
    converters = connection.ops.get_db_converters(_EXPIRES) + _EXPIRES.get_db_converters(connection)
    found: Entries = {}
    now = time.time()
    for key, value, expires in rows:
        for converter in converters:
            expires = converter(expires, _EXPIRES, connection)
        at = expires.timestamp()
        if at > now:
            found[made[key]] = (base64.b64decode(connection.ops.process_clob(value).encode()), at)
    return found


def write(key: str, entries: Entries) -> None:
    """Keep `entries` as the bundle `key` (made, `bundle_key`) until the first of them expires: one statement, in the
    cache's own format (Django's database cache reads it as it reads any value)."""
    expires = min(at for _, at in entries.values())
    if expires <= time.time():
        return
    cache = caches["default"]
    text = base64.b64encode(pickle.dumps(entries, cache.pickle_protocol)).decode("latin1")
    connection = connections[router.db_for_write(cache.cache_model_class)]
    quote = connection.ops.quote_name
    at = connection.ops.adapt_datetimefield_value(dt.datetime.fromtimestamp(expires, tz=dt.UTC))
    key_, value, expires_ = (quote(c) for c in ("cache_key", "value", "expires"))
    sql = (
        f"INSERT INTO {quote(cache._table)} ({key_}, {value}, {expires_}) VALUES (%s, %s, %s) "  # noqa: S608 - names
        f"ON CONFLICT ({key_}) DO UPDATE SET {value} = excluded.{value}, {expires_} = excluded.{expires_}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, text, at])
