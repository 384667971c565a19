"""The PostgreSQL backend (apps/core/backends/postgresql): Django's health check before a request's first query,
skipped for a connection used within the last second; and the queries a page runs every time prepared on the server
(config/settings.py, DB_PREPARED_STATEMENTS)."""

from __future__ import annotations

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
