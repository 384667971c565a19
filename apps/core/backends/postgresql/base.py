"""PostgreSQL, with Django's connection health check skipped for a connection used within the last second.

With CONN_HEALTH_CHECKS Django sends `SELECT 1` before the first query of every request on a persistent connection:
one more round trip per request, and the public notice page makes only one query of its own (its kept copy), so the
check was half of its database time. A connection pool does the same as this (HikariCP's alive-bypass window, 500 ms):
a connection that ran a query less than HEALTH_CHECK_IDLE seconds ago is taken as alive. Should the server go away
within that second, the first query of the next request fails, that request answers with an error page and Django
drops the connection at its end (`errors_occurred`); the one after connects afresh. A connection idle for longer is
checked before use, as before."""

from __future__ import annotations

import time

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    HEALTH_CHECK_IDLE = 1.0
    _used_at: float | None = None  # time.monotonic() of the last cursor opened on this connection

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
