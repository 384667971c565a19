"""Schema-driven fuzzing (schemathesis) of the meeting endpoints, in process through the WSGI app: whatever
the body, never a 5xx, and every documented response matches its schema. Path ids point at a real meeting
(most of the time) so the bodies reach the actions."""

from __future__ import annotations

import pytest
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis import openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from apps.api.api import api as ninja_api
from apps.meetings import actions

from . import build_meetings as b

OPERATIONS = [
    (method, path)
    for path, item in ninja_api.get_openapi_schema()["paths"].items()
    for method, op in item.items()
    if "支部党员大会与民主推荐" in op.get("tags", [])
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p in OPERATIONS])
def test_fuzz_meeting_operations(world, api, method, path, wsgi_keeps_test_connection):
    from apps.api.actions import create_api_token

    m, cands = b.ready_meeting(world, voters=10, candidates=2)
    rnd, codes = actions.open_poll(world.secretary, m)
    token = create_api_token(world.office, name="fuzz")[1]
    schema = openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operation = schema[path][method.upper()]

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy())
    def run(case):
        if "meeting_id" in (case.path_parameters or {}) and case.path_parameters["meeting_id"] % 4:
            case.path_parameters["meeting_id"] = m.pk
        if "campaign_id" in (case.path_parameters or {}) and case.path_parameters["campaign_id"] % 4:
            case.path_parameters["campaign_id"] = world.campaign.pk
        body = case.body if isinstance(case.body, dict) else {}
        real = {"org_id": world.village2.pk, "member_id": world.member.pk}
        for key, value in real.items():
            if isinstance(body.get(key), int) and body[key] % 4:
                body[key] = value
        if path.endswith("/ballots") and isinstance(case.body, dict) and case.body.get("code", "") and len(codes) > 1:
            case.body["code"] = codes.pop()
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )
        statuses.append(response.status_code)

    statuses: list[int] = []
    run()
    assert statuses and any(s < 500 for s in statuses)
