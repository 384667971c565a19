"""Request-level safety: CSRF, hostile query strings, the login wall and what stays public."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from apps.accounts.models import User
from apps.audit.models import AuditLog
from apps.campaigns.models import Campaign
from apps.orgs.models import Member

from .factories import PASSWORD


def everything() -> tuple:
    return (
        tuple(Member.objects.order_by("pk").values_list("pk", "name", "post", "status", "branch_id")),
        tuple(Campaign.objects.order_by("pk").values_list("pk", "post_quota_percent")),
        tuple(User.objects.order_by("pk").values_list("pk", "username", "password", "is_active")),
        AuditLog.objects.exclude(action="user.login").count(),
    )


# --- CSRF -------------------------------------------------------------------------------------------------------------


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _posts(w):
    return [
        (f"/members/{w.member.pk}/edit/", {"name": "被篡改", "id_number": w.member.id_number, "category": "formal"}),
        ("/members/new/", {"name": "伪造党员"}),
        (f"/members/{w.member.pk}/transfer/", {"to_branch": w.village2.pk, "status": "active", "on": "2026-01-01", "reason": "伪造"}),
        (f"/members/{w.member.pk}/reveal/", {}),
        (f"/members/{w.member.pk}/appraisal/", {"ap-year": 2024, "ap-grade": "unqualified"}),
        (f"/campaigns/{w.campaign.pk}/edit/", {"post_quota_percent": "99"}),
        (f"/campaigns/{w.campaign.pk}/criteria/{w.campaign.criteria.first().pk}/delete/", {}),
        ("/accounts/users/new/", {"username": "intruder", "role": "town_office", "organization": w.town.pk, "password": "Intruder-2026!"}),
        (f"/accounts/users/{w.office.pk}/password/", {"password1": "Intruder-2026!", "password2": "Intruder-2026!"}),
        ("/accounts/logout/", {}),
    ]


@pytest.mark.parametrize("index", range(10))
def test_post_without_csrf_token_is_refused_and_changes_nothing(world, index):
    url, data = _posts(world)[index]
    client = csrf_client(world.office)
    before = everything()
    response = client.post(url, data)
    assert response.status_code == 403
    assert "CSRF" in response.content.decode() and "请求已过期" in response.content.decode()
    assert everything() == before
    assert client.get("/").status_code == 200  # still logged in: not even the logout went through


def test_login_form_needs_the_token_too(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert response.status_code == 403
    assert not AuditLog.objects.filter(action="user.login").exists()


def test_the_same_post_with_the_pages_token_goes_through(world):
    """The refusal above is CSRF and nothing else: with the token from the page, the change is made."""
    client = csrf_client(world.office)
    client.get(f"/members/{world.member.pk}/")
    token = client.cookies["csrftoken"].value
    response = client.post(f"/members/{world.member.pk}/reveal/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert AuditLog.objects.filter(action="member.reveal").count() == 1
    # htmx sends the token as a header (base.html puts it in hx-headers).
    response = client.post(f"/members/{world.member.pk}/reveal/", headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 200


# --- hostile query strings --------------------------------------------------------------------------------------------

LIST_PAGES = ["/", "/members/", "/orgs/", "/campaigns/", "/campaign/", "/audit/", "/accounts/users/", "/appraisals/"]
GARBAGE = [
    "page=abc",
    "page=-1",
    "page=0",
    "page=99999999999999999999",
    "branch=99999999",
    "branch=99999999999999999999",
    "branch=abc",
    "branch=-1",
    "branch=1e5",
    "year=abc",
    "year=99999999999999999999",
    "year=-2024",
    "status=xyz",
    "category=%27%20OR%201%3D1--",
    "appraisal=zzz&year=2024",
    "q=%00",
    "q=" + "党" * 2000,
    "q=%E0%A4%A",
    "q=%25%5F",
    "start=2025-02-30&end=abc",
    "action=%3Cscript%3E",
    "branch=1&branch=2&page=1&page=2",
]


@pytest.mark.parametrize("query", GARBAGE)
@pytest.mark.parametrize("role", ["office", "secretary"])
def test_garbage_query_strings_never_give_a_500(world, client, role, query):
    client.force_login(getattr(world, role))
    for url in LIST_PAGES:
        response = client.get(f"{url}?{query}")
        assert response.status_code in (200, 302, 403, 404), (url, query, response.status_code)
        if response.status_code == 200 and url == "/members/":
            assert "<script>" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/orgs/new/?parent=abc",
        "/orgs/new/?parent=99999999999999999999",
        "/campaigns/{pk}/criteria/new/?target=xyz",
        "/appraisals/?branch=abc&year=abc",
    ],
)
def test_garbage_initial_values_on_form_pages(world, client, url):
    client.force_login(world.office)
    assert client.get(url.format(pk=world.campaign.pk)).status_code == 200


@pytest.mark.parametrize("query", GARBAGE[:12])
def test_garbage_on_the_htmx_member_table(world, client, query):
    client.force_login(world.office)
    response = client.get(f"/members/?{query}", headers={"HX-Request": "true"})
    assert response.status_code == 200


def test_a_secretary_filtering_by_another_branch_sees_nobody_from_it(world, client):
    client.force_login(world.secretary)
    html = client.get(f"/members/?branch={world.village2.pk}").content.decode()
    assert world.member2.name not in html


@pytest.mark.parametrize(
    "path",
    ["/members/99999999999999999999/", "/orgs/0/", "/campaigns/99999999/quotas/", "/members/-1/", "/no/such/page/", "/members/abc/"],
)
def test_odd_paths_are_404_not_500(world, client, path):
    client.force_login(world.office)
    response = client.get(path)
    assert response.status_code == 404
    assert "未找到" in response.content.decode()


# --- the login wall and the public side ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/members/",
        "/members/1/",
        "/orgs/",
        "/campaigns/",
        "/campaign/",
        "/audit/",
        "/accounts/users/",
        "/appraisals/",
    ],
)
def test_anonymous_users_are_sent_to_login(db, client, path):
    response = client.get(path + "?x=1")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=" + quote(path + "?x=1", safe="/")


def test_anonymous_post_is_sent_to_login_and_changes_nothing(world, client):
    before = everything()
    response = client.post(f"/members/{world.member.pk}/reveal/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert everything() == before


# The views anyone may open without logging in; every other view is behind Django's LoginRequiredMiddleware.
PUBLIC_VIEWS = {
    "accounts:login",
    "core:healthz",
    "meetings:vote",
    "notices:public_notice",
    "notices:public_objection",
    "notices:public_tracking",
}
PUBLIC_VIEWS |= {"papers:public_notice"}  # the posted 公示 as a PDF
PUBLIC_VIEWS |= {"publicity:public_home", "publicity:public_story", "publicity:public_poster"}
PUBLIC_VIEWS |= {"publicity:public_story_image"}  # a published story's (cleaned) image  # a town's public face
PUBLIC_VIEWS |= {"publicity:public_story_poster"}  # a published story as an A3/A4 poster


def _named_views(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_views(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def test_only_the_declared_views_are_public():
    """The API's views skip the login redirect (they authenticate by token): tests/test_api_scope.py
    checks which API operations need no token."""
    public = {name for name, view in _named_views() if not getattr(view, "login_required", True) and not name.startswith("api:")}
    assert public == PUBLIC_VIEWS


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz"])
def test_public_paths_stay_public(db, client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/no/such/page/", "/public/", "/favicon.ico", "/ballots/", "/accounts/loginx/"])
def test_unknown_paths_are_a_plain_404_for_anonymous_users(db, client, path):
    """Nothing exists there: a 404 that names nothing, rather than a login page that hints at something."""
    response = client.get(path)
    assert response.status_code == 404
    assert "登录" not in response.content.decode() or "/accounts/login/" not in response.content.decode()


def test_health_check_says_ok(db, client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_pages_carry_the_protective_headers(world, client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    client.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert client.cookies["sessionid"]["httponly"]


def test_client_address_behind_the_proxy_is_the_one_the_proxy_saw(rf, settings):
    """Rate limits and the audit log key on the client address: behind nginx the last X-Forwarded-For entry
    (appended by the proxy), never a value the client wrote itself; without a proxy, REMOTE_ADDR."""
    from apps.core.views_helpers import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3", REMOTE_ADDR="127.0.0.1")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "127.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "10.1.2.3"
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
