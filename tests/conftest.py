"""A small invented world shared by the tests: one county, two towns, a user for every role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from apps.accounts.models import Role
from apps.orgs.choices import Category, MemberStatus, OrgKind, OrgLevel

from . import factories as f


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 is slow on purpose (≈0.2 s per password); the tests create many users and need no such cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_shared_cache():
    """The database cache is rolled back with each test's transaction; Redis (make test's Redis pass, CACHE_URL)
    is not, so each test starts from an empty one there: no rate-limit count or kept page leaks between tests."""
    from django.core.cache import cache

    from .shared_cache import on_redis

    if on_redis():
        cache.clear()


@pytest.fixture
def world(db):
    county = f.org("中共测试县委员会", None, OrgLevel.COUNTY, OrgKind.ORGAN)
    town = f.org("中共东岭镇委员会", county, OrgLevel.TOWN, OrgKind.ORGAN)
    other_town = f.org("中共西岭镇委员会", county, OrgLevel.TOWN, OrgKind.ORGAN)
    village = f.org("东岭村党支部", town)
    village2 = f.org("南坑村党支部", town)
    organ = f.org("镇机关党支部", town, kind=OrgKind.ORGAN)
    far_village = f.org("西岭村党支部", other_town)

    w = SimpleNamespace(
        county=county, town=town, other_town=other_town, village=village, village2=village2, organ=organ, far_village=far_village
    )
    w.admin = f.user("admin", Role.ADMIN, None)
    w.office = f.user("office", Role.TOWN_OFFICE, town)
    w.approver = f.user("approver", Role.TOWN_APPROVER, town)
    w.secretary = f.user("secretary", Role.BRANCH_SECRETARY, village)
    w.secretary2 = f.user("secretary2", Role.BRANCH_SECRETARY, village2)
    w.inspector = f.user("inspector", Role.INSPECTOR, town)
    w.county_user = f.user("county", Role.COUNTY_REVIEWER, county)
    w.other_office = f.user("other_office", Role.TOWN_OFFICE, other_town)

    w.member = f.member(village, "张三")
    w.probationary = f.member(village, "李四", category=Category.PROBATIONARY)
    w.member2 = f.member(village2, "王五")
    w.organ_member = f.member(organ, "赵六")
    w.far_member = f.member(far_village, "钱七")
    w.transferred = f.member(village, "孙八", status=MemberStatus.TRANSFERRED)

    w.campaign = f.campaign(w.office, town)
    w.other_campaign = f.campaign(w.other_office, other_town)
    return w


@pytest.fixture
def login(client):
    """login(user) → the test client logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


class ApiClient:
    """Calls /api/v1/ as one user, with a real token created by the same action the token page uses."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method: str, path: str, body=None, **kw):
        import json as _json

        url = "/api/v1/" + path.lstrip("/")
        if body is not None and "content_type" not in kw:
            kw = {**kw, "data": _json.dumps(body), "content_type": "application/json"}
        return getattr(self.client, method)(url, headers=self.headers, **kw)

    def get(self, path, **kw):
        return self._call("get", path, data=kw or None)

    def post(self, path, body=None, **kw):
        return self._call("post", path, {} if body is None else body, **kw)

    def put(self, path, body=None, **kw):
        return self._call("put", path, {} if body is None else body, **kw)

    def delete(self, path, **kw):
        return self._call("delete", path)


@pytest.fixture
def api(client):
    """api(user) → an ApiClient acting as that user; api(None) → no token."""
    from apps.api.actions import create_api_token

    def _api(user):
        from django.test import Client

        token = create_api_token(user, name="测试")[1] if user is not None else None
        return ApiClient(Client(), token)

    return _api


@pytest.fixture
def wsgi_keeps_test_connection():
    """For tests that send requests through the real WSGI handler (schema fuzzing): the handler closes the
    database connection after each request, and the test's transaction lives on that connection (on
    PostgreSQL it would be gone). Django's test client does the same: no closing while a test runs."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
