"""Accounts and sessions (issue 12): lockout, no user enumeration, Argon2, session rotation, idle and absolute
timeouts, disabled users, CSP and no-store headers."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import Client

from .factories import PASSWORD

LOGIN = "/accounts/login/"
ROOT = Path(__file__).resolve().parent.parent


def _post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_five_failures_lock_the_account_from_that_client_only(world):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(4):
        assert _post_login(attacker, "secretary", "wrong-password").status_code == 200
    _post_login(attacker, "secretary", "wrong-password")  # the fifth failure locks
    locked = _post_login(attacker, "secretary", PASSWORD)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in attacker.session
    # The secretary, at the branch office, is not locked out by someone elsewhere.
    assert _post_login(Client(REMOTE_ADDR="192.0.2.10"), "secretary", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(world):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        _post_login(attacker, "secretary", "wrong-password")
    assert _post_login(attacker, "secretary", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=301))
    assert _post_login(attacker, "secretary", PASSWORD).status_code == 302


def test_the_login_page_does_not_reveal_whether_a_user_exists(world):
    def error_text(username):
        html = _post_login(Client(), username, "wrong-password").content.decode()
        return re.sub(r"[A-Za-z0-9]{64}", "<csrf token>", html).replace(f'value="{username}"', 'value="<typed name>"')

    assert error_text("secretary") == error_text("nobody-by-this-name")


def test_passwords_are_hashed_with_argon2(world, settings):
    from django.conf import global_settings  # noqa: F401 - the project's hashers, not the tests' fast one

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    world.office.set_password("Another-pass-2026")
    assert world.office.password.startswith("argon2$")


def test_the_session_id_changes_at_login(world):
    client = Client()
    client.get(LOGIN)
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    assert _post_login(client, "office", PASSWORD).status_code == 302
    assert client.session.session_key != before


def _age_session(client, **fields):
    session = client.session
    for key, seconds in fields.items():
        session[key] = int(time.time()) - seconds
    session.save()


@pytest.mark.parametrize(("field", "seconds"), [("_seen_at", 10 * 60 + 5), ("_login_at", 8 * 3600 + 5)])
def test_idle_and_old_logins_end(world, field, seconds):
    client = Client()
    assert _post_login(client, "office", PASSWORD).status_code == 302
    assert client.get("/members/").status_code == 200
    _age_session(client, **{field: seconds})
    response = client.get("/members/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get("/members/").status_code == 302  # logged out, not just redirected once


def test_activity_keeps_a_login_alive(world):
    client = Client()
    _post_login(client, "office", PASSWORD)
    _age_session(client, _seen_at=9 * 60)
    assert client.get("/members/").status_code == 200


def test_disabling_a_user_ends_their_sessions(world):
    client = Client()
    _post_login(client, "secretary", PASSWORD)
    assert client.get("/members/").status_code == 200
    world.secretary.is_active = False
    world.secretary.save()
    assert client.get("/members/").status_code == 302


def test_pages_forbid_inline_and_foreign_code(world, login):
    response = login(world.office).get("/members/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_templates_hold_no_inline_script_style_or_handler():
    """The policy above would break them: every script and style is a file of the site's own."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\sstyle=\"", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


def test_pages_after_login_are_not_stored(world, login):
    response = login(world.office).get(f"/members/{world.member.pk}/")
    assert response["Cache-Control"] == "no-store"


def test_public_responses_keep_their_own_caching(db):
    assert "no-store" not in Client().get("/healthz").get("Cache-Control", "")


def test_a_password_chosen_by_someone_else_is_replaced_at_first_login(world, login):
    from apps.accounts.models import User

    response = login(world.office).post(
        "/accounts/users/new/",
        {
            "username": "newsec",
            "display_name": "新书记",
            "role": "branch_secretary",
            "organization": world.village.pk,
            "password": PASSWORD,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    newcomer = User.objects.get(username="newsec")
    client = Client()
    assert _post_login(client, "newsec", PASSWORD).status_code == 302
    page = f"/accounts/users/{newcomer.pk}/password/"
    assert client.get("/members/")["Location"] == page
    assert client.get(page).status_code == 200
    done = client.post(page, {"old_password": PASSWORD, "password1": "Mine-only-2026", "password2": "Mine-only-2026"})
    assert done.status_code == 302
    assert client.get("/members/").status_code == 200
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password


def test_a_reset_by_the_office_forces_a_change_but_ones_own_change_does_not(world, login):
    from apps.accounts.actions import reset_password

    reset_password(world.office, world.secretary, "Office-set-2026")
    world.secretary.refresh_from_db()
    assert world.secretary.must_change_password
    reset_password(world.secretary, world.secretary, "Mine-only-2026")
    world.secretary.refresh_from_db()
    assert not world.secretary.must_change_password


def test_complexity_is_a_setting_off_by_default(settings):
    """等保's composition rule when PASSWORD_CHAR_CLASSES is set; ASVS's length-only rule otherwise."""
    from django.contrib.auth.password_validation import get_default_password_validators, validate_password
    from django.core.exceptions import ValidationError

    from apps.accounts.validators import CharacterClassesValidator

    validate_password("lowercaseonlyword")
    assert not any(isinstance(v, CharacterClassesValidator) for v in get_default_password_validators())
    rule = CharacterClassesValidator(3)
    with pytest.raises(ValidationError) as refused:
        rule.validate("lowercaseonlyword")
    assert "至少 3 类" in refused.value.messages[0]
    rule.validate("Lower-and-1")  # upper, lower, digit, symbol
    rule.validate("lowerUPPER9")


def test_a_password_older_than_the_max_age_is_changed_first(world, settings):
    from django.utils import timezone

    from apps.accounts.models import User

    client = Client()
    assert _post_login(client, "secretary", PASSWORD).status_code == 302
    assert client.get("/members/").status_code == 200  # off by default
    settings.PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=world.secretary.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))
    page = f"/accounts/users/{world.secretary.pk}/password/"
    assert client.get("/members/")["Location"] == page
    done = client.post(page, {"old_password": PASSWORD, "password1": "Fresh-pass-2026", "password2": "Fresh-pass-2026"})
    assert done.status_code == 302
    assert client.get("/members/").status_code == 200
    secretary = User.objects.get(pk=world.secretary.pk)
    secretary.refresh_from_db()
    assert not secretary.password_expired and not secretary.must_change_password
