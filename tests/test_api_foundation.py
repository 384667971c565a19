"""The API's foundation: tokens, the error format, 401/404, the schema and the offline docs."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from apps.api.actions import create_api_token, revoke_api_token
from apps.api.models import ApiToken
from apps.audit.models import AuditLog


def test_me_with_a_token(world, api):
    r = api(world.secretary).get("me")
    assert r.status_code == 200
    assert r.json() == {"id": world.secretary.pk, "username": "secretary", "role": "branch_secretary", "org_id": world.village.pk}


def test_no_token_or_bad_token_is_401_in_the_error_format(world, api, client):
    for c in (api(None), type(api(None))(client, "sfxd_not-a-token")):
        r = c.get("me")
        assert r.status_code == 401
        body = r.json()
        assert body["blockers"] == [] and "令牌" in body["detail"]


def test_a_session_cookie_is_not_an_api_credential(world, login):
    r = login(world.office).get("/api/v1/me")
    assert r.status_code == 401


def test_token_is_stored_hashed_and_works_until_revoked_or_expired(world, api):
    row, token = create_api_token(world.office, name="县平台")
    assert token not in ApiToken.objects.values_list("digest", flat=True)
    assert ApiToken.objects.get(pk=row.pk).digest != token
    c = type(api(None))(api(None).client, token)
    assert c.get("me").status_code == 200
    revoke_api_token(world.office, row)
    assert c.get("me").status_code == 401
    row2, token2 = create_api_token(world.office, name="短期", days=1)
    ApiToken.objects.filter(pk=row2.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert type(api(None))(api(None).client, token2).get("me").status_code == 401
    assert AuditLog.objects.filter(action="api_token.create").count() == 2
    assert AuditLog.objects.filter(action="api_token.revoke").count() == 1


def test_inactive_user_token_is_refused(world, api):
    c = api(world.secretary)
    world.secretary.is_active = False
    world.secretary.save()
    assert c.get("me").status_code == 401


def test_create_api_token_command_prints_only_the_token(world, capsys, api):
    call_command("create_api_token", "secretary")
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("sfxd_")
    r = type(api(None))(api(None).client, out[0]).get("me")
    assert r.json()["username"] == "secretary"


def test_unknown_api_path_is_404_json(world, api):
    for path in ("", "no-such-thing", "meetings/1e-05", "meetings/x/poll"):  # "": /api/v1/ itself
        r = api(world.office).get(path)
        assert r.status_code == 404 and r["Content-Type"].startswith("application/json")
        assert r.json() == {"detail": "未找到该记录，或您无权查看。", "blockers": []}
    r = api(world.office).post("meetings/1e-05/poll", {})
    assert r.status_code == 404 and r.json()["detail"]
    r = api(world.office).get("no-such-thing")
    assert r.status_code == 404
    assert r["Content-Type"].startswith("application/json") and r.json()["blockers"] == []
    # The same JSON 404 for any method, without a token too (e.g. an id that is not an integer matches no route).
    for caller in (api(world.office), api(None)):
        for method in ("get", "post", "put", "delete"):
            r = getattr(caller, method)("no-such-thing/1e-05%0A/x")
            assert r.status_code == 404 and "未找到" in r.json()["detail"], (method, r.content[:200])


def test_openapi_schema_and_offline_docs(world, client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert "/api/v1/me" in r.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui-bundle.js" in html and "cdn" not in html.lower() and "https://" not in html


def test_every_operation_documents_the_error_responses(world, client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail", "blockers"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            expected = {"400", "403", "404", "409", "422"} | ({"401"} if operation.get("security") else set())
            assert expected <= codes, (method, path, codes)
            assert any(code.startswith("2") for code in codes), (method, path)


def test_schema_errors_are_explained_in_chinese(world, api):
    r = api(world.office).get("members", org_id="abc", limit=0)
    assert r.status_code == 400
    assert set(r.json()["blockers"]) == {"org_id：应为整数", "limit：应 ≥ 1"}


def test_a_method_the_path_does_not_have_is_405_in_the_error_format(world, api):
    r = api(world.office).delete("me")
    assert r.status_code == 405 and "GET" in r["Allow"]
    assert "DELETE" in r.json()["detail"] and r.json()["blockers"] == []


def test_schema_names_are_unique_across_the_routers():
    """django-ninja names OpenAPI components after the Schema class: two routers with a `CandidateOut` each
    would share one component, and one of them would document the other's fields."""
    import collections
    import importlib

    from ninja import Schema

    from apps.api.api import ROUTERS

    owners = collections.defaultdict(set)
    for name in ROUTERS:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                owners[attr].add(name)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
