"""The token page of the account area: list own tokens, create one (shown once), revoke."""

from __future__ import annotations

import re

from apps.api.actions import create_api_token
from apps.api.models import ApiToken, TokenStatus, digest_of
from apps.audit.models import AuditLog

URL = "/accounts/tokens/"


def test_the_nav_links_to_the_token_page(world, login):
    body = login(world.secretary).get("/").content.decode()
    assert 'href="/accounts/tokens/"' in body


def test_create_shows_the_token_once_and_stores_only_its_digest(world, login, api):
    c = login(world.secretary)
    r = c.post(URL, {"name": "县平台同步", "days": "30"})
    assert r.status_code == 200
    body = r.content.decode()
    token = re.search(r'value="(sfxd_[^"]+)"', body).group(1)
    row = ApiToken.objects.get(user=world.secretary)
    assert row.name == "县平台同步" and row.digest == digest_of(token) and row.hint == token[-4:]
    assert 29 <= (row.expires_at - row.created_at).days <= 30
    assert AuditLog.objects.filter(action="api_token.create", actor=world.secretary, target_id=str(row.pk)).exists()
    # It works as a bearer token, as that user.
    assert type(api(None))(api(None).client, token).get("me").json()["username"] == "secretary"
    # Never shown again: the list shows only the hint.
    again = c.get(URL).content.decode()
    assert token not in again and f"…{row.hint}" in again and "县平台同步" in again


def test_days_default_to_90_and_are_limited_to_366(world, login):
    c = login(world.office)
    assert 'value="90"' in c.get(URL).content.decode()
    for bad in ("0", "367", "abc"):
        r = c.post(URL, {"name": "脚本", "days": bad})
        assert r.status_code == 200 and "sfxd_" not in r.content.decode()
    r = c.post(URL, {"name": "", "days": "90"})
    assert "请填写用途" in r.content.decode()
    assert not ApiToken.objects.exists()
    c.post(URL, {"name": "一年", "days": "366"})
    row = ApiToken.objects.get()
    assert 365 <= (row.expires_at - row.created_at).days <= 366


def test_the_list_shows_own_tokens_only_with_their_status(world, login):
    mine, _ = create_api_token(world.office, name="我的令牌")
    create_api_token(world.secretary, name="别人的令牌")
    body = login(world.office).get(URL).content.decode()
    assert "我的令牌" in body and "别人的令牌" not in body
    assert TokenStatus.LIVE.label in body and "从未使用" in body


def test_revoke_own_token(world, login, api):
    row, token = create_api_token(world.secretary, name="要撤销的")
    c = login(world.secretary)
    r = c.post(f"{URL}{row.pk}/revoke/")
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None and row.status == TokenStatus.REVOKED
    assert type(api(None))(api(None).client, token).get("me").status_code == 401
    assert AuditLog.objects.filter(action="api_token.revoke", actor=world.secretary).count() == 1
    # Revoking again is refused with a message and changes nothing.
    c.post(f"{URL}{row.pk}/revoke/", follow=True)
    assert AuditLog.objects.filter(action="api_token.revoke").count() == 1
    assert TokenStatus.REVOKED.label in c.get(URL).content.decode()


def test_somebody_elses_token_cannot_be_revoked_from_the_page(world, login):
    row, _ = create_api_token(world.office, name="党建办的")
    for user in (world.secretary, world.admin, world.other_office):
        assert login(user).post(f"{URL}{row.pk}/revoke/").status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_revoke_action_refuses_another_users_token_except_for_an_admin(world):
    import pytest
    from django.core.exceptions import PermissionDenied

    from apps.api.actions import revoke_api_token

    row, _ = create_api_token(world.office, name="党建办的")
    with pytest.raises(PermissionDenied):
        revoke_api_token(world.secretary, row)
    assert revoke_api_token(world.admin, row).revoked_at is not None


def test_an_expired_token_shows_as_expired_without_a_revoke_button(world, login):
    from datetime import timedelta

    from django.utils import timezone

    row, _ = create_api_token(world.office, name="过期的")
    ApiToken.objects.filter(pk=row.pk).update(
        expires_at=timezone.now() - timedelta(days=1), last_used_at=timezone.now() - timedelta(days=2)
    )
    body = login(world.office).get(URL).content.decode()
    assert TokenStatus.EXPIRED.label in body and f"/accounts/tokens/{row.pk}/revoke/" not in body and "从未使用" not in body
