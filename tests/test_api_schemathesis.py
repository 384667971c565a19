"""Schema-driven fuzzing of /api/v1/ with schemathesis: every operation of the OpenAPI schema gets generated
requests (valid and invalid) from a town office's token in the small test world. No answer may be a 5xx,
and every answer must match the schema: a documented status code, JSON, the declared body.

The run is limited (a fixed number of examples per operation, derandomized) to stay within a minute or two."""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.config import SchemathesisConfig

from apps.api.actions import create_api_token

pytestmark = pytest.mark.filterwarnings("ignore")


# The schema as served at /api/v1/openapi.json (no database needed to serve it), called in-process through WSGI.
# Generated requests carry no Authorization header of their own: the test signs every one as the town office
# (the `ignored_auth` check still sends each operation without a token and with a forged one).
# The coverage phase (boundary values of every field, ~100 requests per operation) runs with API_FUZZ_FULL=1;
# by default the fuzzing phase alone keeps the module within a minute or two.
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"with-security-parameters": False},
        "phases": {"coverage": {"enabled": bool(os.environ.get("API_FUZZ_FULL"))}},
        "cache": {"enabled": False},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG)


# Status codes seen per operation, for the last test of this module: the fuzzing must get past the token.
SEEN: dict[str, Counter] = {}


@pytest.fixture
def office_token(world, wsgi_keeps_test_connection):
    return create_api_token(world.office, name="fuzz")[1]


# What must hold for every generated request. Not `positive_data_acceptance`: a schema-valid request may still
# be refused by a rule (422: a wrong check digit, a quota) or be outside the caller's scope (404).
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
    checks.ignored_auth,
]


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "15")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, office_token):
    # Passed with the call, so that the checks know it as the caller's credentials (`ignored_auth` removes or
    # forges it and expects 401); the coverage phase builds its cases before any token exists.
    response = case.call_and_validate(headers={"Authorization": f"Bearer {office_token}"}, checks=CHECKS)
    if case.method.upper() == case.operation.method.upper():  # not the probes of undeclared methods (405)
        SEEN.setdefault(case.operation.label, Counter())[response.status_code] += 1


def test_the_fuzzing_got_past_the_token():
    """The run above reached the endpoints as the town office: not only 401s, and every list answered 200."""
    if not SEEN:
        pytest.skip("run together with test_api_conforms_to_its_schema")
    for op, statuses in SEEN.items():
        assert set(statuses) - {401}, (op, statuses)
        if op.startswith("GET ") and "{" not in op:
            assert statuses[200], (op, statuses)
