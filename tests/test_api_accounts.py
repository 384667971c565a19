"""API: POST users (roles as API.md, the approval right), with the accounts page's rules."""

from __future__ import annotations

from apps.accounts.models import Role, User
from apps.audit.models import AuditLog

from .api_helpers import bad_json, refused, unchanged

PASSWORD = "Dongling-2026-pass"


def body(w, **overrides):
    return {
        "username": "li_secretary",
        "password": PASSWORD,
        "name": "李书记",
        "role": "branch_secretary",
        "org_id": w.village.pk,
    } | overrides


def test_role_values_are_the_api_contract():
    assert set(Role.values) == {"admin", "town_office", "town_approver", "branch_secretary", "inspector", "county_reviewer"}


def test_town_office_creates_a_secretary_of_its_town(world, api):
    r = api(world.office).post("users", body(world))
    assert r.status_code == 201, r.content
    user = User.objects.get(username="li_secretary")
    assert r.json() == {
        "id": user.pk,
        "username": "li_secretary",
        "role": "branch_secretary",
        "org_id": world.village.pk,
        "can_approve": False,
        "may_approve": False,
    }
    assert user.display_name == "李书记" and user.check_password(PASSWORD) and user.must_change_password
    log = AuditLog.objects.get(action="user.create", target_id=str(user.pk))
    assert log.actor == world.office and PASSWORD not in str(log.changes)
    # The new account works through the API with its own scope.
    assert [o["id"] for o in api(user).get("orgs").json()] == [world.village.pk]


def test_the_approval_right(world, api):
    r = api(world.office).post("users", body(world, username="approver2", role="town_approver", org_id=world.town.pk))
    assert r.status_code == 201 and r.json()["may_approve"] is True and r.json()["can_approve"] is False
    r = api(world.admin).post("users", body(world, username="office2", role="town_office", org_id=world.town.pk, can_approve=True))
    assert r.status_code == 201 and r.json()["can_approve"] is True and r.json()["may_approve"] is True
    assert User.objects.get(username="office2").may_approve
    # can_approve means nothing for other roles.
    r = api(world.admin).post("users", body(world, username="sec3", can_approve=True))
    assert r.status_code == 201 and r.json()["can_approve"] is False and r.json()["may_approve"] is False


def test_create_user_refusals_change_nothing(world, api):
    office, secretary, approver = api(world.office), api(world.secretary), api(world.approver)
    with unchanged():
        refused(office.post("users", body(world, role="town_office", org_id=world.town.pk, can_approve=True)), 422, "系统管理员")
        refused(office.post("users", body(world, username="office")), 422, "用户名已被使用")
        refused(office.post("users", body(world, password="12345678")), 422)
        refused(office.post("users", body(world, role="branch_secretary", org_id=world.town.pk)), 422, "支部书记")
        refused(office.post("users", body(world, role="admin", org_id=None)), 422, "本镇")
        refused(office.post("users", body(world, role="county_reviewer", org_id=world.town.pk)), 422)
        refused(office.post("users", body(world, org_id=world.far_village.pk)), 404)
        refused(office.post("users", body(world, role="superuser")), 400, "role")
        refused(office.post("users", body(world, username="有 空格")), 400, "username")
        refused(office.post("users", body(world, password="")), 400, "password")
        refused(office.post("users", body(world, can_approve="maybe")), 400, "can_approve")
        refused(bad_json(office, "post", "users"), 400, "JSON")
        refused(secretary.post("users", body(world)), 403)
        refused(approver.post("users", body(world)), 403)
