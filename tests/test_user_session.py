"""Sessions with the signed-in user as a column (apps/accounts/sessions.py): a signed-in request reads its session
and its user in one query, and Django's checks of that user still hold."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User, UserSession
from apps.accounts.sessions import SessionStore, read_with_session

from .factories import PASSWORD

LOGIN = "/accounts/login/"


def _signed_in(username):
    client = Client()
    assert client.post(LOGIN, {"username": username, "password": PASSWORD}).status_code == 302
    return client


def _user_reads(queries) -> list[str]:
    """The queries that read a user: the session's own join, or a read of the user table by itself."""
    return [q["sql"] for q in queries if '"accounts_user"' in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT")]


def test_a_login_writes_the_user_into_its_session_row(world):
    client = _signed_in("secretary")
    row = UserSession.objects.get(session_key=client.session.session_key)
    assert row.user_id == world.secretary.pk
    assert row.get_decoded()[SESSION_KEY] == str(world.secretary.pk)


def test_a_signed_in_page_reads_the_session_and_its_user_in_one_query(world):
    client = _signed_in("office")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/orgs/").status_code == 200
    reads = _user_reads(queries.captured_queries)
    assert len(reads) == 1, reads
    assert '"accounts_usersession"' in reads[0]
    assert '"orgs_organization"' in reads[0]  # the organization too: the navigation bar and the scope start from it


def test_the_page_shows_the_user_read_with_the_session(world):
    client = _signed_in("office")
    User.objects.filter(pk=world.office.pk).update(display_name="镇党委办公室 改名")
    assert "镇党委办公室 改名" in client.get("/orgs/").content.decode()  # read afresh: nothing of the user is kept


def test_a_disabled_user_is_signed_out_although_the_session_read_them(world):
    client = _signed_in("secretary")
    User.objects.filter(pk=world.secretary.pk).update(is_active=False)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_password_changed_elsewhere_ends_the_session(world):
    client = _signed_in("secretary")
    assert client.get("/").status_code == 200
    world.secretary.set_password("another-Password-9")
    world.secretary.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get("/").status_code == 302  # the session was emptied, not just refused once


def test_logging_out_leaves_a_session_without_a_user(world):
    client = _signed_in("office")
    client.post("/accounts/logout/")
    assert not UserSession.objects.filter(user=world.office).exists()


def test_the_user_read_with_a_session_is_handed_over_only_while_it_signs_in(world):
    client = _signed_in("office")
    store = SessionStore(client.session.session_key)
    assert store[SESSION_KEY] == str(world.office.pk)
    assert store.read_user == world.office
    # Outside Django's get_user for that session, nobody is handed a user.
    assert read_with_session(world.office.pk) is None


def test_an_expired_session_signs_nobody_in(world):
    client = _signed_in("office")
    UserSession.objects.filter(session_key=client.session.session_key).update(expire_date="2000-01-01T00:00:00Z")
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_session_of_a_deleted_user_saves_and_signs_nobody_in(world):
    store = SessionStore()
    store[SESSION_KEY] = str(world.inspector.pk)
    store.create()
    key = store.session_key
    UserSession.objects.filter(session_key=key).update(user_id=None)
    gone = User.objects.order_by("-pk").first().pk + 1000
    store[SESSION_KEY] = str(gone)
    store.save()  # no constraint refuses it
    assert UserSession.objects.get(session_key=key).user_id == gone
    client = Client()
    client.cookies["sessionid"] = key
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("sessions", [1, 3])
def test_disabling_an_account_ends_exactly_its_sessions(world, sessions):
    from apps.accounts.actions import end_access

    ours = [_signed_in("secretary") for _ in range(sessions)]
    other = _signed_in("office")
    ended, _ = end_access(world.secretary)
    assert ended == sessions
    for client in ours:
        assert client.get("/").status_code == 302
    assert other.get("/").status_code == 200


def test_a_signed_in_page_reads_the_audit_head_with_its_session(world):
    client = _signed_in("office")
    client.get("/members/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/members/").status_code == 200
    heads = [q["sql"] for q in queries.captured_queries if "audit_auditchainhead" in q["sql"]]
    assert len(heads) == 1 and '"accounts_usersession"' in heads[0], heads


def test_the_mark_read_with_the_session_is_the_heads(world):
    from apps.audit.chain import head_mark
    from apps.audit.log import record

    client = _signed_in("office")
    store = SessionStore(client.session.session_key)
    store.load()
    assert store.head_mark == head_mark()
    record(world.office, "member.update", note="测试")
    moved = SessionStore(client.session.session_key)
    moved.load()
    assert moved.head_mark == head_mark() != store.head_mark


def test_clearsessions_deletes_the_expired_sessions_only(world):
    from django.core.management import call_command

    live, old = _signed_in("office"), _signed_in("secretary")
    UserSession.objects.filter(session_key=old.session.session_key).update(expire_date="2000-01-01T00:00:00Z")
    call_command("clearsessions")
    assert list(UserSession.objects.values_list("user_id", flat=True)) == [world.office.pk]
    assert live.get("/").status_code == 200
