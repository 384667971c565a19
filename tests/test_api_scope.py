"""The API's role × operation matrix, like tests/test_scope.py for pages: every operation of the OpenAPI
schema has a row (the meta-test fails when one is missing), and only the declared operations work
without a token. Each app adds its rows in tests/api_rows/<app>.py: `OPS`, and `PUBLIC` for the operations
that need no token."""

from __future__ import annotations

import pytest

from apps.api.api import api as ninja_api

from .matrix import API_ROLES, Op, rows

# Operations that need no token (API.md: public/ and POST ballots), as (method, OpenAPI path).
PUBLIC_OPERATIONS: set[tuple[str, str]] = set(rows("api_rows", "PUBLIC"))

OPS = rows("api_rows", "OPS")


def schema_operations() -> set[tuple[str, str]]:
    schema = ninja_api.get_openapi_schema()
    return {(method, path) for path, item in schema["paths"].items() for method in item}


def test_every_operation_is_in_the_matrix():
    covered = {(op.method, op.path) for op in OPS}
    missing = schema_operations() - covered
    assert not missing, f"add these API operations to tests/api_rows/<app>.py: {sorted(missing)}"
    stale = covered - schema_operations()
    assert not stale, f"the matrix names operations that no longer exist: {sorted(stale)}"


def test_only_the_declared_operations_need_no_token():
    schema = ninja_api.get_openapi_schema()
    open_ops = {(m, p) for p, item in schema["paths"].items() for m, op in item.items() if not op.get("security")}
    assert open_ops == PUBLIC_OPERATIONS


@pytest.mark.parametrize(
    ("op", "role"),
    [pytest.param(op, role, id=f"{op.method}-{op.path}{op.label}-{role}") for op in OPS for role in API_ROLES],
)
def test_api_scope_matrix(world, api, op: Op, role: str):
    caller = api(getattr(world, role) if role != "anonymous" else None)
    path = op.path.format(**op.params(world)).removeprefix("/api/v1/")
    body = op.body(world)
    response = caller.get(path, **op.query(world)) if op.method == "get" else getattr(caller, op.method)(path, body)
    assert response.status_code == op.expected[role], (
        f"{role} {op.method.upper()} {path}: {response.status_code} {response.content[:300]!r}"
    )
    assert response.status_code < 400 or "detail" in response.json()  # a file (PDF, Word) is not JSON
