"""Accounts and access: disabling a user ends their sessions and API tokens; forms and API bodies ignore
fields they don't declare (posting branch, role, status changes nothing)."""

from __future__ import annotations

import datetime as dt

from django.forms.models import model_to_dict
from django.test import Client

from apps.accounts import actions as account_actions
from apps.accounts.models import Role, User, UserSession
from apps.api.actions import create_api_token
from apps.api.models import ApiToken
from apps.campaigns.models import Campaign
from apps.core.idcard import make_id
from apps.nominations.models import Nomination
from apps.orgs.choices import MemberStatus
from apps.orgs.forms import MemberForm
from apps.orgs.models import Member

from . import build_nominations as bn


def _form_data(instance, fields) -> dict:
    data = {}
    for key, value in model_to_dict(instance, fields=fields).items():
        if value is None:
            value = ""
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = "on" if value else ""
            if not value:
                continue
        data[key] = value
    return data


# --- disabling a user --------------------------------------------------------------------------------------------------


def _user_form(user) -> dict:
    data = _form_data(user, ["username", "display_name", "phone", "role", "organization", "can_approve", "is_active"])
    return data


def test_disabling_a_user_ends_their_sessions_and_tokens(world, login):
    victim = world.secretary
    browser = Client()
    browser.force_login(victim)
    assert browser.get("/").status_code == 200
    _, token = create_api_token(victim, name="同步")
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/v1/me").status_code == 200

    data = _user_form(victim)
    data.pop("is_active")  # the checkbox unticked
    response = login(world.office).post(f"/accounts/users/{victim.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    victim.refresh_from_db()
    assert not victim.is_active
    assert not [s for s in UserSession.objects.all() if s.get_decoded().get("_auth_user_id") == str(victim.pk)]
    assert ApiToken.objects.filter(user=victim, revoked_at__isnull=True).count() == 0

    # Enabling the account again gives back neither the old login nor the old token.
    account_actions.update_user(world.office, victim, {"is_active": True})
    assert browser.get("/").status_code == 302
    assert api.get("/api/v1/me").status_code == 401


def test_other_users_keep_their_sessions(world):
    other = Client()
    other.force_login(world.secretary2)
    account_actions.update_user(world.office, world.secretary, {"is_active": False})
    assert other.get("/").status_code == 200


# --- undeclared fields in forms ----------------------------------------------------------------------------------------


def test_member_form_ignores_status_and_other_undeclared_fields(world, login):
    member = world.member
    data = _form_data(member, MemberForm._meta.fields) | {
        "status": MemberStatus.DECEASED,
        "status_changed_on": "2020-01-01",
        "created_at": "2000-01-01",
        "id": world.member2.pk,
    }
    response = login(world.secretary).post(f"/members/{member.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    world.member2.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE and member.status_changed_on != dt.date(2020, 1, 1)
    assert world.member2.name == "王五"


def test_member_form_refuses_a_branch_outside_the_scope(world, login):
    data = _form_data(world.member, MemberForm._meta.fields) | {"branch": world.far_village.pk}
    response = login(world.secretary).post(f"/members/{world.member.pk}/edit/", data)
    assert response.status_code in (200, 302)  # the form with an error, or the field is not the secretary's to set
    world.member.refresh_from_db()
    assert world.member.branch_id == world.village.pk


def test_own_password_page_ignores_role(world, login):
    client = login(world.secretary)
    response = client.post(
        f"/accounts/users/{world.secretary.pk}/password/",
        {"new_password1": "Lang-Mima-2026!", "new_password2": "Lang-Mima-2026!", "password": "Lang-Mima-2026!"}
        | {"role": Role.ADMIN, "organization": "", "is_superuser": "on", "is_staff": "on", "can_approve": "on"},
    )
    assert response.status_code in (200, 302)
    user = User.objects.get(pk=world.secretary.pk)
    assert (user.role, user.organization_id, user.is_superuser, user.is_staff, user.can_approve) == (
        Role.BRANCH_SECRETARY,
        world.village.pk,
        False,
        False,
        False,
    )


def test_user_form_ignores_superuser_and_password_fields(world, login):
    data = _user_form(world.secretary) | {"is_superuser": "on", "is_staff": "on", "password": "x", "must_change_password": ""}
    login(world.office).post(f"/accounts/users/{world.secretary.pk}/edit/", data)
    user = User.objects.get(pk=world.secretary.pk)
    assert not user.is_superuser and not user.is_staff
    assert user.check_password("x") is False


def test_campaign_form_of_an_office_ignores_town(world, login):
    campaign = world.campaign
    response = login(world.office).get(f"/campaigns/{campaign.pk}/edit/")
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value.isoformat() if isinstance(value, dt.date) else value
    data |= {"town": world.other_town.pk, "created_by": world.admin.pk}
    login(world.office).post(f"/campaigns/{campaign.pk}/edit/", data)
    assert Campaign.objects.get(pk=campaign.pk).town_id == world.town.pk


def test_nomination_correction_ignores_status_and_member(world, login):
    proposal = bn.proposed(world.secretary, world.campaign, world.village)
    nomination = proposal.nominations.first()
    before = (nomination.status, nomination.member_id, nomination.campaign_id)
    data = {"post": "村委委员", "deeds": "带头修路。", "status": "approved", "member": world.member2.pk, "campaign": 0}
    criteria = world.campaign.criteria.filter(target="post").order_by("order")
    data |= {f"crit_{c.order}": "符合。" for c in criteria}
    login(world.secretary).post(f"/nominations/{nomination.pk}/edit/", data)
    nomination = Nomination.objects.get(pk=nomination.pk)
    assert (nomination.status, nomination.member_id, nomination.campaign_id) == before


# --- undeclared fields in API bodies -----------------------------------------------------------------------------------


def test_api_member_body_ignores_status(world, api):
    body = {
        "name": "吴新",
        "gender": "男",
        "id_number": make_id("369901", dt.date(1988, 11, 2), 27),
        "birth_date": "1988-11-02",
        "category": "formal",
        "joined_on": "2012-07-01",
        "confirmed_on": "2013-07-01",
        "branch_id": world.village.pk,
        "status": "deceased",
        "id": world.member.pk,
    }
    before = Member.objects.get(pk=world.member.pk).name
    response = api(world.secretary).post("members", body)
    assert response.status_code in (201, 400), response.content
    assert Member.objects.get(pk=world.member.pk).name == before
    created = Member.objects.filter(name="吴新").first()
    assert created is None or created.status == MemberStatus.ACTIVE


def test_api_user_body_ignores_superuser_flags(world, api):
    body = {
        "username": "new_sec",
        "password": "Lang-Mima-2026!",
        "name": "新书记",
        "role": "branch_secretary",
        "org_id": world.village2.pk,
        "is_superuser": True,
        "is_staff": True,
        "must_change_password": False,
    }
    response = api(world.office).post("users", body)
    assert response.status_code in (201, 400), response.content
    user = User.objects.filter(username="new_sec").first()
    assert user is None or (not user.is_superuser and not user.is_staff and user.must_change_password)


def test_api_decision_body_ignores_status(world, api):
    proposal = bn.submitted(world.secretary, world.campaign, world.village)
    nomination = proposal.nominations.first()
    response = api(world.approver).post(
        f"nominations/{nomination.pk}/decision", {"decision": "return", "reason": "事迹不全", "status": "commended"}
    )
    assert response.status_code in (200, 400), response.content
    assert Nomination.objects.get(pk=nomination.pk).status in ("returned", "submitted")
