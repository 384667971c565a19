"""Accounts: logging in and out through the real form, account management by a town office, password rules."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.test import Client

from apps.accounts.models import Role, User
from apps.audit.models import AuditLog
from apps.core.scope import scope_of

from .factories import PASSWORD

GOOD_PASSWORD = "Qingshan-2026!"


def account_state() -> tuple:
    users = tuple(
        User.objects.order_by("pk").values_list("pk", "username", "role", "organization_id", "is_active", "display_name", "password")
    )
    return users, AuditLog.objects.exclude(action="user.login").count()


# --- logging in and out -----------------------------------------------------------------------------------------------


def test_login_through_the_form_and_logout(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "secretary", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(world.secretary.pk)
    log = AuditLog.objects.get(action="user.login")
    assert (log.actor, log.town, log.ip) == (world.secretary, world.town, "127.0.0.1")

    assert client.get("/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert SESSION_KEY not in client.session
    assert client.get("/").status_code == 302


def test_login_follows_next_but_only_within_the_site(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "office", "password": PASSWORD, "next": "/members/"})
    assert response["Location"] == "/members/"
    client = Client()
    response = client.post("/accounts/login/", {"username": "office", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.parametrize(("username", "password"), [("secretary", "wrong-password"), ("nobody", PASSWORD), ("", "")])
def test_failed_login_is_refused_in_chinese_and_logged(world, username, password):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    html = response.content.decode()
    assert "用户名或密码错误" in html or "请填写用户名" in html
    if username:
        log = AuditLog.objects.get(action="user.login_failed")
        assert (log.actor, log.actor_label, log.target_repr, log.ip) == (None, "系统", username, "127.0.0.1")
        assert password not in str(log.changes) + log.note  # the attempted password is never stored


def test_deactivated_account_cannot_log_in_and_its_session_ends(world):
    client = Client()
    client.post("/accounts/login/", {"username": "secretary", "password": PASSWORD})
    assert client.get("/").status_code == 200
    User.objects.filter(pk=world.secretary.pk).update(is_active=False)
    assert client.get("/").status_code == 302  # the open session no longer counts
    response = Client().post("/accounts/login/", {"username": "secretary", "password": PASSWORD})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


# --- account management -----------------------------------------------------------------------------------------------


def account_data(w, **changes) -> dict:
    data = {
        "username": "newsec",
        "display_name": "支部书记 新人",
        "phone": "19900001111",
        "role": Role.BRANCH_SECRETARY,
        "organization": w.village2.pk,
        "is_active": "on",
        "password": GOOD_PASSWORD,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_office_sees_only_its_towns_accounts(world, login):
    html = login(world.office).get("/accounts/users/").content.decode()
    for user in (world.office, world.approver, world.secretary, world.secretary2, world.inspector):
        assert f"<td>{user.username}</td>" in html
    for user in (world.admin, world.county_user, world.other_office):
        assert f"<td>{user.username}</td>" not in html


def test_office_creates_a_secretary_of_its_town(world, login):
    response = login(world.office).post("/accounts/users/new/", account_data(world))
    assert response.status_code == 302
    user = User.objects.get(username="newsec")
    assert (user.role, user.organization, user.is_active) == (Role.BRANCH_SECRETARY, world.village2, True)
    assert user.check_password(GOOD_PASSWORD)
    log = AuditLog.objects.get(action="user.create")
    assert (log.actor, log.town, log.changes["角色"]) == (world.office, world.town, ["", "支部书记"])
    assert GOOD_PASSWORD not in str(log.changes)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"role": Role.ADMIN, "organization": ""}, "role", "选择一个有效的选项"),
        ({"role": Role.COUNTY_REVIEWER, "organization": "COUNTY"}, "role", "选择一个有效的选项"),
        ({"organization": "FAR"}, "organization", "选择一个有效的选项"),
        ({"organization": "COUNTY"}, "organization", "选择一个有效的选项"),
        ({"role": Role.TOWN_OFFICE, "organization": "OTHER_TOWN"}, "organization", "选择一个有效的选项"),
        ({"role": Role.BRANCH_SECRETARY, "organization": "TOWN"}, "organization", "“支部书记”账号须属于"),
        ({"role": Role.TOWN_OFFICE, "organization": "VILLAGE"}, "organization", "“镇党建办”账号须属于镇党委"),
        ({"role": Role.INSPECTOR, "organization": "VILLAGE"}, "organization", "“督查组成员”账号须属于镇党委"),
        ({"role": Role.TOWN_APPROVER, "organization": ""}, "organization", "请选择该账号所属的党组织"),
        ({"username": "secretary"}, "username", "该用户名已被使用"),
        ({"username": ""}, "username", "请填写用户名"),
        ({"username": "有 空格"}, "username", "合法的用户名"),
        ({"password": ""}, "password", "请填写初始密码"),
    ],
    ids=lambda v: v if isinstance(v, str) and v.isascii() else None,
)
def test_office_cannot_create_outside_its_powers(world, login, changes, field, message):
    orgs = {"FAR": world.far_village, "COUNTY": world.county, "OTHER_TOWN": world.other_town, "TOWN": world.town, "VILLAGE": world.village}
    changes = {k: orgs[v].pk if v in orgs else v for k, v in changes.items()}
    client = login(world.office)
    before = account_state()
    response = client.post("/accounts/users/new/", account_data(world, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and any(message in e for e in errors[field]), dict(errors)
    assert account_state() == before


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678", "密码只包含数字"),
        ("87654321987", "密码只包含数字"),
        ("password", "这个密码太常见了"),
        ("Ab1!", "密码太短"),
        ("newsec2026", "太相似"),
    ],
)
def test_password_rules_speak_chinese(world, login, password, message):
    client = login(world.office)
    before = account_state()
    response = client.post("/accounts/users/new/", account_data(world, password=password))
    assert response.status_code == 200
    errors = response.context["form"].errors["password"]
    assert any(message in e for e in errors), errors
    assert all(not e.isascii() for e in errors), errors  # no untranslated English sentence
    assert account_state() == before


def test_admin_creates_county_and_admin_accounts(world, login):
    client = login(world.admin)
    response = client.post(
        "/accounts/users/new/", account_data(world, username="county2", role=Role.COUNTY_REVIEWER, organization=world.county.pk)
    )
    assert response.status_code == 302
    response = client.post("/accounts/users/new/", account_data(world, username="it2", role=Role.ADMIN, organization=""))
    assert response.status_code == 302
    assert User.objects.get(username="county2").role == Role.COUNTY_REVIEWER
    assert scope_of(User.objects.get(username="it2")).everything


def test_admin_is_held_to_role_levels_too(world, login):
    client = login(world.admin)
    before = account_state()
    response = client.post("/accounts/users/new/", account_data(world, role=Role.COUNTY_REVIEWER, organization=world.town.pk))
    assert "“县委组织部”账号须属于县委" in " ".join(response.context["form"].errors["organization"])
    assert account_state() == before


def test_editing_an_account_logs_before_and_after(world, login):
    data = account_data(world, username="secretary", display_name="支部书记 陈春生", organization=world.village.pk, password=None)
    response = login(world.office).post(f"/accounts/users/{world.secretary.pk}/edit/", data)
    assert response.status_code == 302
    world.secretary.refresh_from_db()
    assert world.secretary.display_name == "支部书记 陈春生"
    log = AuditLog.objects.get(action="user.update")
    assert log.changes == {"姓名": ["secretary", "支部书记 陈春生"], "联系电话": ["", "199****1111"]}  # phone masked in the log
    assert (log.actor, log.town) == (world.office, world.town)


def test_office_moves_a_secretary_only_within_its_town(world, login):
    client = login(world.office)
    before = account_state()
    data = account_data(world, username="secretary", organization=world.far_village.pk, password=None)
    response = client.post(f"/accounts/users/{world.secretary.pk}/edit/", data)
    assert "选择一个有效的选项" in " ".join(response.context["form"].errors["organization"])
    assert account_state() == before


def test_office_cannot_promote_an_account_to_admin(world, login):
    client = login(world.office)
    before = account_state()
    data = account_data(world, username="secretary", role=Role.ADMIN, organization="", password=None)
    response = client.post(f"/accounts/users/{world.secretary.pk}/edit/", data)
    assert response.status_code == 200
    assert account_state() == before


def test_office_cannot_deactivate_itself(world, login):
    client = login(world.office)
    before = account_state()
    data = account_data(world, username="office", role=Role.TOWN_OFFICE, organization=world.town.pk, password=None, is_active=None)
    response = client.post(f"/accounts/users/{world.office.pk}/edit/", data)
    assert response.status_code == 200
    assert "不能停用自己的账号" in response.content.decode()
    assert account_state() == before


def test_deactivating_a_secretary(world, login):
    data = account_data(
        world, username="secretary", display_name="secretary", phone="", organization=world.village.pk, password=None, is_active=None
    )
    response = login(world.office).post(f"/accounts/users/{world.secretary.pk}/edit/", data)
    assert response.status_code == 302
    assert not User.objects.get(pk=world.secretary.pk).is_active
    assert AuditLog.objects.get(action="user.update").changes == {"有效": ["是", "否"]}


# --- passwords --------------------------------------------------------------------------------------------------------


def test_anyone_changes_their_own_password_and_stays_logged_in(world, login):
    client = login(world.secretary2)
    response = client.post(
        f"/accounts/users/{world.secretary2.pk}/password/",
        {"old_password": PASSWORD, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert Client().post("/accounts/login/", {"username": "secretary2", "password": GOOD_PASSWORD}).status_code == 302
    log = AuditLog.objects.get(action="user.password")
    assert log.note == "修改密码" and GOOD_PASSWORD not in str(log.changes) + log.note


def test_office_resets_a_password_of_its_town(world, login):
    response = login(world.office).post(
        f"/accounts/users/{world.secretary.pk}/password/", {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert AuditLog.objects.get(action="user.password").note == "重置密码"


@pytest.mark.parametrize(
    ("password1", "password2", "message"),
    [
        (GOOD_PASSWORD, GOOD_PASSWORD + "x", "两次输入的密码不一致"),
        ("12345678", "12345678", "密码只包含数字"),
        ("abc", "abc", "密码太短"),
        ("", "", "请填写新密码"),
    ],
)
def test_bad_new_password_is_refused(world, login, password1, password2, message):
    client = login(world.secretary)
    before = account_state()
    response = client.post(
        f"/accounts/users/{world.secretary.pk}/password/", {"old_password": PASSWORD, "password1": password1, "password2": password2}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert account_state() == before


def test_own_password_change_needs_the_old_password(world, login):
    client = login(world.secretary)
    before = account_state()
    url = f"/accounts/users/{world.secretary.pk}/password/"
    response = client.post(url, {"old_password": "not-my-password", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 200
    assert "原密码不正确" in response.content.decode()
    assert account_state() == before
    assert "原密码" not in login(world.office).get(f"/accounts/users/{world.secretary.pk}/password/").content.decode()


def test_password_rule_errors_stand_next_to_the_new_password(world, login):
    response = login(world.office).post(f"/accounts/users/{world.secretary.pk}/password/", {"password1": "abc", "password2": "abc"})
    assert "密码太短" in " ".join(response.context["form"].errors["password1"])


def test_only_an_administrator_grants_the_approval_right(world, login):
    data = account_data(world, username="office", role=Role.TOWN_OFFICE, organization=world.town.pk, password=None, can_approve="on")
    login(world.office).post(f"/accounts/users/{world.office.pk}/edit/", data)
    assert not User.objects.get(pk=world.office.pk).can_approve  # the office's form has no such field
    from apps.accounts.actions import update_user
    from apps.core.actions import ActionError

    with pytest.raises(ActionError):
        update_user(world.office, world.office, {"can_approve": True})
    update_user(world.admin, world.office, {"can_approve": True})
    assert User.objects.get(pk=world.office.pk).can_approve


# --- the first administrator ------------------------------------------------------------------------------------------


def test_createsuperuser_noinput_yields_an_admin_role_account(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", GOOD_PASSWORD)
    call_command("createsuperuser", "--noinput", username="root", email="root@example.invalid", verbosity=0)
    user = User.objects.get(username="root")
    assert (user.role, user.is_superuser, user.is_staff, user.organization) == (Role.ADMIN, True, True, None)
    assert user.is_admin_role and scope_of(user).everything
    assert Client().post("/accounts/login/", {"username": "root", "password": GOOD_PASSWORD}).status_code == 302


def test_the_signed_in_user_comes_with_their_organization(world, django_assert_num_queries):
    """Every page shows the organization in the navigation bar: read with the user, not by a query of its own."""
    from django.contrib.auth import get_backends

    backend = next(b for b in get_backends() if hasattr(b, "get_user") and b.get_user(world.office.pk) is not None)
    with django_assert_num_queries(1):
        user = backend.get_user(world.office.pk)
        assert user.organization == world.town
