"""The PostgreSQL backend (apps/core/backends/postgresql): Django's health check before a request's first query,
skipped for a connection used within the last second; and the queries a page runs every time prepared on the server
(config/settings.py, DB_PREPARED_STATEMENTS)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connections

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def checks(monkeypatch):
    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no health check")
    assert type(connection).__module__ == "apps.core.backends.postgresql.base"
    calls = []
    real = connection.is_usable

    def counted():
        calls.append(1)
        return real()

    monkeypatch.setattr(connection, "is_usable", counted)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    monkeypatch.setattr(connection, "health_check_enabled", True)
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    return calls


def test_a_connection_used_a_moment_ago_is_not_checked_again(checks):
    connection = connections["default"]
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    connection.close_if_unusable_or_obsolete()  # a request ends; the next begins
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")
    assert checks == []


def test_an_idle_connection_is_checked_before_use(checks, monkeypatch):
    connection = connections["default"]
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    monkeypatch.setattr(type(connection), "HEALTH_CHECK_IDLE", 0.0)  # as if a second had passed
    connection.close_if_unusable_or_obsolete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")
    assert checks == [1]


def test_a_connection_with_an_error_is_checked(checks):
    connection = connections["default"]
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    connection.errors_occurred = True
    connection.health_check_done = False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")
    assert len(checks) == 1


def test_the_queries_every_signed_in_page_runs_are_prepared_on_the_server(world, login, monkeypatch):
    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)  # as the real server: one connection for all
    client = login(world.office)
    for _ in range(6):  # psycopg prepares a query the fifth time a connection runs it
        assert client.get("/orgs/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any("accounts_usersession" in statement for statement in statements), statements  # the session with its user
    assert any("shared_cache" in statement for statement in statements), statements  # the kept values' read


@pytest.fixture
def postgresql():
    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    return connection


def test_timestamps_are_read_by_psycopgs_loader_as_aware_utc_times(postgresql):
    from psycopg.pq import Format

    from apps.core.backends.postgresql.base import UtcTimestamptzLoader

    postgresql.close()  # a connection of its own: the loader is registered when one is made
    with postgresql.cursor() as cursor:
        registered = cursor.connection.adapters.get_loader(cursor.connection.adapters.types["timestamptz"].oid, Format.TEXT)
        cursor.execute("SELECT '2026-01-01 12:00:00+08'::timestamptz, '0001-01-01 00:00:00+00'::timestamptz, NULL::timestamptz")
        noon, earliest, missing = cursor.fetchone()
        loader = cursor.cursor._tx.get_loader(cursor.connection.adapters.types["timestamptz"].oid, Format.TEXT)
    assert registered is UtcTimestamptzLoader
    assert type(loader).__module__.startswith("psycopg")  # psycopg's own, not Django's subclass
    assert noon == dt.datetime(2026, 1, 1, 4, 0, tzinfo=dt.UTC) and noon.tzinfo is dt.UTC
    assert earliest == dt.datetime(1, 1, 1, tzinfo=dt.UTC) and earliest.tzinfo is dt.UTC
    assert missing is None


def test_without_time_zone_support_timestamps_are_naive_as_django_reads_them(postgresql, settings):
    settings.USE_TZ = False  # Django then reads them in TIME_ZONE, naive: its own loader, registered per cursor
    with postgresql.cursor() as cursor:
        cursor.execute("SELECT '2026-01-01 12:00:00+08'::timestamptz")
        (noon,) = cursor.fetchone()
    assert noon == dt.datetime(2026, 1, 1, 12, 0) and noon.tzinfo is None
