"""Schema-driven fuzzing (schemathesis) of the calendar, 公示 and commendation operations: no 5xx, every
response documented and matching the OpenAPI schema, no schema-violating request accepted. A rule's refusal
(422) of schema-valid data is the contract, so that one check is left out."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from apps.api.actions import create_api_token
from apps.core import clock
from apps.notices.actions import create_notice
from config.wsgi import application

from .build_notices import listed_nomination

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
FUZZ = settings(max_examples=20, suppress_health_check=list(HealthCheck), deadline=None)


@pytest.fixture
def token(world, wsgi_keeps_test_connection):
    listed_nomination(world.campaign, world.member)
    create_notice(world.office, world.campaign, clock.today())
    return create_api_token(world.office, name="fuzz")[1]


def _check(case, token):
    # The token replaces the Authorization header a case was generated with, and never fills in one a negative case
    # leaves out on purpose (then the API must refuse it: with the token added back, the request was no longer the
    # invalid one the case meant, and its acceptance was reported as a fault).
    headers = {"Authorization": f"Bearer {token}"} if "Authorization" in (case.headers or {}) else {}
    case.call_and_validate(headers=headers, excluded_checks=[schemathesis.checks.positive_data_acceptance])


@pytest.mark.django_db
@schema.include(tag="工作日历").parametrize()
@FUZZ
def test_calendar_operations(case, token):
    _check(case, token)


@pytest.mark.django_db
@schema.include(tag="公示与异议").parametrize()
@FUZZ
def test_notice_operations(case, token):
    _check(case, token)


@pytest.mark.django_db
@schema.include(tag="表彰奖励").parametrize()
@FUZZ
def test_commendation_operations(case, token):
    _check(case, token)
