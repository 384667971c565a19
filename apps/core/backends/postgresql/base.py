"""PostgreSQL, with Django's connection health check skipped for a connection used within the last second.

With CONN_HEALTH_CHECKS Django sends `SELECT 1` before the first query of every request on a persistent connection:
one more round trip per request, and the public notice page makes only one query of its own (its kept copy), so the
check was half of its database time. A connection pool does the same as this (HikariCP's alive-bypass window, 500 ms):
a connection that ran a query less than HEALTH_CHECK_IDLE seconds ago is taken as alive. Should the server go away
within that second, the first query of the next request fails, that request answers with an error page and Django
drops the connection at its end (`errors_occurred`); the one after connects afresh. A connection idle for longer is
checked before use, as before.

And timestamps with a time zone are read by psycopg's own loader (its C version in psycopg's binary package), not
by Django's: Django registers a Python subclass of psycopg's Python loader, only to put the connection's zone on each
value (`.replace(tzinfo=…)`), ~3 µs a value against ~0.3 µs. With USE_TZ and no TIME_ZONE of the database's own (the
project's settings), Django keeps the session's TimeZone at UTC and wants `datetime.timezone.utc` on every value, which
is what psycopg's loader gives for a UTC session. A signed-in page reads several (the session's expiry, the user's
times, the expiry of each cached value it reads)."""

from __future__ import annotations

import datetime as dt
import time

from django.db.backends.postgresql import base
from psycopg import adapters
from psycopg.pq import Format

# psycopg's loader of timestamptz text (C, with psycopg's binary package; it cannot be subclassed).
_PSYCOPG_TIMESTAMPTZ = adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT)


class UtcTimestamptzLoader:
    """psycopg's timestamptz loader, registered where Django looks for its own: Django checks the registered class's
    `timezone` before each cursor and registers its loader again where that differs. psycopg makes its loaders by
    calling the class (`cls(oid, context)`), so this makes psycopg's."""

    timezone = dt.UTC
    format = _PSYCOPG_TIMESTAMPTZ.format

    def __new__(cls, oid, context=None):
        return _PSYCOPG_TIMESTAMPTZ(oid, context)


class DatabaseWrapper(base.DatabaseWrapper):
    HEALTH_CHECK_IDLE = 1.0
    _used_at: float | None = None  # time.monotonic() of the last cursor opened on this connection

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self.timezone is dt.UTC and self.timezone_name == "UTC":
            connection.adapters.register_loader("timestamptz", UtcTimestamptzLoader)
        return connection

    def create_cursor(self, name=None):
        self._used_at = time.monotonic()
        return super().create_cursor(name)

    def close_if_health_check_failed(self):
        recent = self._used_at is not None and time.monotonic() - self._used_at < self.HEALTH_CHECK_IDLE
        if recent and self.connection is not None and not self.errors_occurred:
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def close(self):
        self._used_at = None
        super().close()
