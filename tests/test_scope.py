"""Scope (SPEC §1): every URL × every role × objects in and out of the role's scope.

The matrix below must name every URL pattern of the site: `test_every_url_is_in_the_matrix` walks the
resolver and fails when a new URL has no row here, so nobody adds a page without deciding who may see it.
Expected codes: 200 shown, 302 redirect (anonymous → login), 403 role may not act, 404 object outside scope,
405 wrong method.
"""

from __future__ import annotations

import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.audit.log import record
from apps.audit.models import AuditLog
from apps.campaigns.models import Campaign
from apps.orgs.choices import Grade
from apps.orgs.models import Appraisal, Member, Organization
from apps.roster.actions import save_preview
from apps.roster.import_scope import import_scope
from apps.roster.plan import build_plan

from .matrix import LOGGED_IN, NOT_MEMBER_MANAGER, NOT_TOWN_MANAGER, ROLES, Case, expect, get_and_post, pk, rows  # noqa: F401
from .roster_files import csv_bytes, person, table


def criterion(w, user):
    return {"pk": w.campaign.pk, "cid": w.campaign.criteria.first().pk}


def other_criterion(w, user):
    return {"pk": w.other_campaign.pk, "cid": w.other_campaign.criteria.first().pk}


def mismatched_criterion(w, user):
    """A criterion of the other town's campaign, requested under this town's campaign."""
    return {"pk": w.campaign.pk, "cid": w.other_campaign.criteria.first().pk}


def appraisal_data(w):
    return {"ap-year": w.campaign.appraisal_year, "ap-grade": Grade.QUALIFIED, "ap-note": ""}


def import_batch(w, user):
    """A previewed, not yet confirmed roster import uploaded by the town office: it belongs to the uploader only."""
    content = csv_bytes(table([person(1, w.village.name)]))
    scope = import_scope(w.office)
    plan = build_plan(io.BytesIO(content), "花名册.csv", len(content), kind="members", scope=scope)
    return {"pk": save_preview(w.office, plan, scope).pk}


MEMBER_EDIT_OWN = expect(200, approver=403, secretary2=404, inspector=404, county_user=403, other_office=404)
MEMBER_EDIT_FAR = expect(404, admin=200, county_user=403, other_office=200)
CAMPAIGN_EDIT_OWN = expect(403, admin=200, office=200, other_office=404)
CAMPAIGN_EDIT_FAR = expect(404, admin=200, county_user=403, other_office=200)

CASES: list[Case] = [
    # core
    Case("home:index", "home", expect(200)),
    Case("core:healthz", "health check", expect(200, anonymous=200)),
    # accounts
    Case("accounts:login", "login page", expect(302, anonymous=200)),
    Case("accounts:logout", "logout by GET", expect(405)),
    Case("accounts:logout", "logout", expect(302), method="post"),
    Case("accounts:user_list", "accounts", expect(200, **NOT_TOWN_MANAGER)),
    *get_and_post("accounts:user_create", "new account", expect(200, **NOT_TOWN_MANAGER)),
    *get_and_post(
        "accounts:user_edit", "account of this town", expect(403, admin=200, office=200, other_office=404), kwargs=pk("secretary")
    ),
    *get_and_post(
        "accounts:user_edit", "account of the other town", expect(403, admin=200, office=404, other_office=200), kwargs=pk("other_office")
    ),
    *get_and_post("accounts:user_edit", "county account", expect(403, admin=200, office=404, other_office=404), kwargs=pk("county_user")),
    *get_and_post("accounts:user_edit", "admin account", expect(403, admin=200, office=404, other_office=404), kwargs=pk("admin")),
    *get_and_post(
        "accounts:password_reset",
        "own password",
        expect(200),
        kwargs=lambda w, user: {"pk": (user or w.admin).pk},
    ),
    *get_and_post(
        "accounts:password_reset",
        "password of this town's approver",
        expect(404, admin=200, office=200, approver=200),
        kwargs=pk("approver"),
    ),
    *get_and_post(
        "accounts:password_reset", "password of the county account", expect(404, admin=200, county_user=200), kwargs=pk("county_user")
    ),
    *get_and_post("accounts:password_reset", "password of the admin", expect(404, admin=200), kwargs=pk("admin")),
    # organizations
    Case("orgs:org_tree", "organization tree", expect(200)),
    *get_and_post("orgs:org_create", "new organization", expect(200, **NOT_TOWN_MANAGER)),
    Case(
        "orgs:org_detail",
        "own village",
        expect(200, secretary2=404, other_office=404),
        kwargs=pk("village"),
        secret=lambda w: w.village.name,
    ),
    Case("orgs:org_detail", "this town", expect(200, secretary=404, secretary2=404, inspector=404, other_office=404), kwargs=pk("town")),
    Case(
        "orgs:org_detail",
        "town organ branch",
        expect(200, secretary=404, secretary2=404, inspector=404, other_office=404),
        kwargs=pk("organ"),
    ),
    Case(
        "orgs:org_detail",
        "other town's village",
        expect(404, admin=200, county_user=200, other_office=200),
        kwargs=pk("far_village"),
        secret=lambda w: w.far_village.name,
    ),
    Case("orgs:org_detail", "county", expect(404, admin=200, county_user=200), kwargs=pk("county")),
    *get_and_post(
        "orgs:org_edit",
        "own village",
        expect(403, admin=200, office=200, secretary2=404, other_office=404),
        kwargs=pk("village"),
        secret=lambda w: w.village.name,
    ),
    *get_and_post(
        "orgs:org_edit",
        "other town's village",
        expect(404, admin=200, county_user=403, other_office=200),
        kwargs=pk("far_village"),
        secret=lambda w: w.far_village.name,
    ),
    *get_and_post("orgs:org_edit", "county", expect(404, admin=200, county_user=403), kwargs=pk("county")),
    # members
    Case("orgs:member_list", "member list", expect(200, inspector=403)),
    *get_and_post("orgs:member_create", "new member", expect(200, **NOT_MEMBER_MANAGER)),
    Case(
        "orgs:member_detail",
        "member of 东岭村",
        expect(200, secretary2=404, inspector=404, other_office=404),
        kwargs=pk("member"),
        secret=lambda w: w.member.name,
    ),
    Case(
        "orgs:member_detail",
        "member of 南坑村",
        expect(200, secretary=404, inspector=404, other_office=404),
        kwargs=pk("member2"),
        secret=lambda w: w.member2.name,
    ),
    Case(
        "orgs:member_detail",
        "member of the other town",
        expect(404, admin=200, county_user=200, other_office=200),
        kwargs=pk("far_member"),
        secret=lambda w: w.far_member.name,
    ),
    *get_and_post("orgs:member_edit", "member of 东岭村", MEMBER_EDIT_OWN, kwargs=pk("member"), secret=lambda w: w.member.name),
    *get_and_post(
        "orgs:member_edit", "member of the other town", MEMBER_EDIT_FAR, kwargs=pk("far_member"), secret=lambda w: w.far_member.name
    ),
    *get_and_post("orgs:member_transfer", "member of 东岭村", MEMBER_EDIT_OWN, kwargs=pk("member"), secret=lambda w: w.member.name),
    *get_and_post(
        "orgs:member_transfer", "member of the other town", MEMBER_EDIT_FAR, kwargs=pk("far_member"), secret=lambda w: w.far_member.name
    ),
    Case("orgs:member_reveal", "reveal by GET", expect(405), kwargs=pk("member")),
    Case(
        "orgs:member_reveal",
        "member of 东岭村",
        MEMBER_EDIT_OWN,
        kwargs=pk("member"),
        method="post",
        secret=lambda w: w.member.id_number,
    ),
    Case(
        "orgs:member_reveal",
        "member of the other town",
        MEMBER_EDIT_FAR,
        kwargs=pk("far_member"),
        method="post",
        secret=lambda w: w.far_member.id_number,
    ),
    Case("orgs:member_appraisal", "appraisal by GET", expect(405), kwargs=pk("member")),
    Case(
        "orgs:member_appraisal",
        "member of 东岭村",
        expect(302, approver=403, secretary2=404, inspector=404, county_user=403, other_office=404),
        kwargs=pk("member"),
        method="post",
        data=appraisal_data,
    ),
    Case(
        "orgs:member_appraisal",
        "member of the other town",
        expect(404, admin=302, county_user=403, other_office=302),
        kwargs=pk("far_member"),
        method="post",
        data=appraisal_data,
    ),
    Case("orgs:appraisal_sheet", "appraisal sheet", expect(200, **NOT_MEMBER_MANAGER)),
    Case(
        "orgs:appraisal_sheet",
        "appraisal sheet of 东岭村",
        expect(200, secretary2=404, other_office=404, **NOT_MEMBER_MANAGER),
        query=lambda w: f"?branch={w.village.pk}",
        secret=lambda w: w.member.name,
    ),
    Case(
        "orgs:appraisal_sheet",
        "appraisal sheet of the other town",
        expect(404, admin=200, other_office=200, **NOT_MEMBER_MANAGER),
        query=lambda w: f"?branch={w.far_village.pk}",
        secret=lambda w: w.far_member.name,
    ),
    # campaigns
    Case("campaigns:campaign_current", "current campaign", expect(302)),
    Case("campaigns:campaign_list", "campaign list", expect(200)),
    *get_and_post("campaigns:campaign_create", "new campaign", expect(403, admin=200, office=200, other_office=200)),
    Case("campaigns:campaign_detail", "this town's campaign", expect(200, other_office=404), kwargs=pk("campaign")),
    Case(
        "campaigns:campaign_detail",
        "other town's campaign",
        expect(404, admin=200, county_user=200, other_office=200),
        kwargs=pk("other_campaign"),
    ),
    Case("campaigns:campaign_quotas", "this town's quotas", expect(200, other_office=404), kwargs=pk("campaign")),
    Case(
        "campaigns:campaign_quotas",
        "other town's quotas",
        expect(404, admin=200, county_user=200, other_office=200),
        kwargs=pk("other_campaign"),
        secret=lambda w: w.far_village.name,
    ),
    *get_and_post("campaigns:campaign_edit", "this town's campaign", CAMPAIGN_EDIT_OWN, kwargs=pk("campaign")),
    *get_and_post("campaigns:campaign_edit", "other town's campaign", CAMPAIGN_EDIT_FAR, kwargs=pk("other_campaign")),
    *get_and_post("campaigns:criterion_create", "this town's campaign", CAMPAIGN_EDIT_OWN, kwargs=pk("campaign")),
    *get_and_post("campaigns:criterion_create", "other town's campaign", CAMPAIGN_EDIT_FAR, kwargs=pk("other_campaign")),
    *get_and_post("campaigns:criterion_edit", "this town's criterion", CAMPAIGN_EDIT_OWN, kwargs=criterion),
    *get_and_post("campaigns:criterion_edit", "other town's criterion", CAMPAIGN_EDIT_FAR, kwargs=other_criterion),
    *get_and_post(
        "campaigns:criterion_edit",
        "other town's criterion under this town's campaign",
        expect(403, admin=404, office=404, other_office=404),
        kwargs=mismatched_criterion,
    ),
    Case("campaigns:criterion_delete", "delete by GET", expect(405), kwargs=criterion),
    Case(
        "campaigns:criterion_delete",
        "this town's criterion",
        expect(403, admin=302, office=302, other_office=404),
        kwargs=criterion,
        method="post",
    ),
    Case(
        "campaigns:criterion_delete",
        "other town's criterion",
        expect(404, admin=302, county_user=403, other_office=302),
        kwargs=other_criterion,
        method="post",
    ),
    Case(
        "campaigns:criterion_delete",
        "other town's criterion under this town's campaign",
        expect(404),
        kwargs=mismatched_criterion,
        method="post",
    ),
    # audit
    Case("audit:audit_list", "audit log", expect(200, **NOT_TOWN_MANAGER)),
    # roster import and export
    Case("roster:import_upload", "upload page", expect(200, **NOT_MEMBER_MANAGER)),
    Case("roster:import_upload", "blank upload", expect(200, **NOT_MEMBER_MANAGER), method="post"),
    Case("roster:template", "import template", expect(200, **NOT_MEMBER_MANAGER)),
    Case("roster:import_preview", "office's import", expect(404, office=200), kwargs=import_batch),
    Case("roster:import_result", "office's import result", expect(404, office=200), kwargs=import_batch),
    Case("roster:import_confirm", "confirm by GET", expect(405), kwargs=import_batch),
    Case("roster:import_confirm", "office's import", expect(404, office=302), kwargs=import_batch, method="post"),
    Case("roster:import_cancel", "cancel by GET", expect(405), kwargs=import_batch),
    Case("roster:import_cancel", "office's import", expect(404, office=302), kwargs=import_batch, method="post"),
    Case("roster:export_members", "masked member export", expect(200, inspector=403)),
    Case("roster:export_members", "full member export", expect(200, **NOT_MEMBER_MANAGER), method="post"),
    Case("roster:export_appraisals", "masked appraisal export", expect(200, inspector=403)),
    Case("roster:export_appraisals", "full appraisal export", expect(200, **NOT_MEMBER_MANAGER), method="post"),
    Case(
        "roster:export_appraisals",
        "appraisals of 南坑村",
        expect(200, secretary=404, other_office=404, inspector=403),
        query=lambda w: f"?branch={w.village2.pk}",
    ),
]
CASES += rows("scope_rows", "CASES")


def site_url_names() -> dict[str, str]:
    """Every named URL of config/urls.py (namespace:name → route), walking nested includes."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "api":
                    continue  # the JSON API has its own matrix: tests/test_api_scope.py
                ns = ":".join(part for part in (namespace, entry.namespace) if part)
                walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                assert entry.name, f"URL {route!r} has no name, so the scope matrix cannot cover it"
                found[f"{namespace}:{entry.name}" if namespace else entry.name] = route

    walk(get_resolver().url_patterns, "", "")
    return found


def test_every_url_is_in_the_matrix():
    covered = {case.name for case in CASES}
    urls = site_url_names()
    missing = {name: route for name, route in urls.items() if name not in covered}
    assert not missing, f"add these URLs to the scope matrix in tests/test_scope.py: {missing}"
    stale = covered - set(urls)
    assert not stale, f"the matrix names URLs that no longer exist: {stale}"


def test_object_urls_are_tried_in_and_out_of_scope():
    """Every URL with an object id has at least one case where some logged-in role gets 404."""
    for name, route in site_url_names().items():
        if "<int:" in route:
            assert any(case.name == name and 404 in case.expected.values() for case in CASES), name


@pytest.mark.parametrize(
    ("case", "role"),
    [pytest.param(case, role, id=f"{case.name}[{case.label}]-{case.method}-{role}") for case in CASES for role in ROLES],
)
def test_scope_matrix(world, client, case: Case, role: str):
    user = getattr(world, role) if role != "anonymous" else None
    if user is not None:
        client.force_login(user)
    url = reverse(case.name, kwargs=case.kwargs(world, user)) + case.query(world)
    response = getattr(client, case.method)(url, case.data(world))
    expected = case.expected[role]
    assert response.status_code == expected, f"{role} {case.method.upper()} {url}: {response.status_code}, expected {expected}"
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith("/accounts/login/?next=")
    body = (b"".join(response.streaming_content) if response.streaming else response.content).decode(errors="replace")
    if expected == 404:
        assert "未找到" in body
    if expected == 403:
        assert "无权" in body or "权限" in body
    if expected == 404 and case.secret is not None:
        assert case.secret(world) not in body


# --- visible_to per role ------------------------------------------------------------------------------------------

ORG_SCOPE = {
    "anonymous": set(),
    "admin": {"county", "town", "other_town", "village", "village2", "organ", "far_village"},
    "office": {"town", "village", "village2", "organ"},
    "approver": {"town", "village", "village2", "organ"},
    "secretary": {"village"},
    "secretary2": {"village2"},
    "inspector": {"village", "village2"},  # villages of its town only: not the town, not the organ branch
    "county_user": {"county", "town", "other_town", "village", "village2", "organ", "far_village"},
    "other_office": {"other_town", "far_village"},
}
ALL_MEMBERS = {"member", "probationary", "transferred", "member2", "organ_member", "far_member"}
MEMBER_SCOPE = {
    "anonymous": set(),
    "admin": ALL_MEMBERS,
    "office": ALL_MEMBERS - {"far_member"},
    "approver": ALL_MEMBERS - {"far_member"},
    "secretary": {"member", "probationary", "transferred"},
    "secretary2": {"member2"},
    "inspector": set(),  # inspectors work on villages, never on member records
    "county_user": ALL_MEMBERS,
    "other_office": {"far_member"},
}
CAMPAIGN_SCOPE = {
    "anonymous": set(),
    "admin": {"campaign", "other_campaign"},
    "office": {"campaign"},
    "approver": {"campaign"},
    "secretary": {"campaign"},
    "secretary2": {"campaign"},
    "inspector": {"campaign"},
    "county_user": {"campaign", "other_campaign"},
    "other_office": {"other_campaign"},
}
AUDIT_TOWNS = {
    "anonymous": set(),
    "admin": {"town", "other_town", None},
    "office": {"town"},
    "approver": set(),
    "secretary": set(),
    "secretary2": set(),
    "inspector": set(),
    "county_user": set(),
    "other_office": {"other_town"},
}


def _user(world, role):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if role == "anonymous" else getattr(world, role)


def _names(world, objects, attrs):
    by_pk = {getattr(world, a).pk: a for a in attrs}
    return {by_pk[o.pk] for o in objects if o.pk in by_pk}


@pytest.mark.parametrize("role", ROLES)
def test_organizations_visible_to(world, role):
    visible = Organization.objects.visible_to(_user(world, role))
    assert _names(world, visible, ORG_SCOPE["admin"]) == ORG_SCOPE[role]
    assert visible.count() == len(ORG_SCOPE[role])


@pytest.mark.parametrize("role", ROLES)
def test_members_visible_to(world, role):
    visible = Member.objects.visible_to(_user(world, role))
    assert _names(world, visible, ALL_MEMBERS) == MEMBER_SCOPE[role]
    assert visible.count() == len(MEMBER_SCOPE[role])


@pytest.mark.parametrize("role", ROLES)
def test_appraisals_visible_to(world, role):
    for attr in ALL_MEMBERS:
        Appraisal.objects.create(member=getattr(world, attr), year=world.campaign.appraisal_year, grade=Grade.QUALIFIED)
    visible = Appraisal.objects.visible_to(_user(world, role))
    by_member = {getattr(world, a).pk: a for a in ALL_MEMBERS}
    assert {by_member[a.member_id] for a in visible} == MEMBER_SCOPE[role]


@pytest.mark.parametrize("role", ROLES)
def test_campaigns_visible_to(world, role):
    visible = Campaign.objects.visible_to(_user(world, role))
    assert _names(world, visible, {"campaign", "other_campaign"}) == CAMPAIGN_SCOPE[role]
    assert visible.count() == len(CAMPAIGN_SCOPE[role])


@pytest.mark.parametrize("role", ROLES)
def test_audit_log_visible_to(world, role):
    AuditLog.objects.all().delete()
    record(world.office, "org.update", world.village, town=world.town)
    record(world.other_office, "org.update", world.far_village, town=world.other_town)
    record(None, "user.login_failed", target_type="accounts.user", target_repr="nobody")  # no town: administrators only
    towns = {world.town.pk: "town", world.other_town.pk: "other_town", None: None}
    visible = AuditLog.objects.visible_to(_user(world, role))
    assert {towns[log.town_id] for log in visible} == AUDIT_TOWNS[role]


@pytest.mark.parametrize("model", [Organization, Member, Campaign, AuditLog])
def test_deactivated_or_unattached_accounts_see_nothing(world, model):
    world.office.is_active = False
    world.office.save()
    assert not model.objects.visible_to(world.office).exists()
    world.secretary.organization = None
    world.secretary.save()
    assert not model.objects.visible_to(world.secretary).exists()


def test_secretary_of_a_village_committee_sees_its_sub_branches(world):
    """A 村党委 secretary sees the branches under the committee, and their members, but not its neighbours."""
    from apps.accounts.models import Role
    from apps.orgs.choices import OrgLevel

    from . import factories as f

    committee = f.org("北山村党委", world.town, level=OrgLevel.PARTY_COMMITTEE)
    sub = f.org("北山村第一党支部", committee)
    inside = f.member(sub, "周九")
    secretary = f.user("committee_secretary", Role.BRANCH_SECRETARY, committee)
    assert set(Organization.objects.visible_to(secretary)) == {committee, sub}
    assert set(Member.objects.visible_to(secretary)) == {inside}
    assert list(Campaign.objects.visible_to(secretary)) == [world.campaign]
