"""Shared pieces of the two scope matrices: pages (tests/test_scope.py) and the JSON API
(tests/test_api_scope.py). Each workflow app adds its rows in its own module, `tests/scope_rows/<app>.py`
(`CASES`, page rows) and `tests/api_rows/<app>.py` (`OPS`, API rows), found by `rows()`."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

LOGGED_IN = ("admin", "office", "approver", "secretary", "secretary2", "inspector", "county_user", "other_office")
ROLES = ("anonymous", *LOGGED_IN)


def expect(default: int, *, anonymous: int = 302, **roles: int) -> dict[str, int]:
    """Status per role: `default` for every logged-in role unless named; anonymous users go to the login page."""
    unknown = set(roles) - set(LOGGED_IN)
    assert not unknown, unknown
    return {"anonymous": anonymous} | {role: roles.get(role, default) for role in LOGGED_IN}


# Roles that only read (or, for the inspector, only see villages).
NOT_TOWN_MANAGER = {"approver": 403, "secretary": 403, "secretary2": 403, "inspector": 403, "county_user": 403}
NOT_MEMBER_MANAGER = {"approver": 403, "inspector": 403, "county_user": 403}


@dataclass(frozen=True)
class Case:
    name: str
    label: str
    expected: dict[str, int]
    kwargs: Callable[[SimpleNamespace, object], dict] = lambda w, user: {}
    method: str = "get"
    data: Callable[[SimpleNamespace], dict] = lambda w: {}
    query: Callable[[SimpleNamespace], str] = lambda w: ""
    # Text that must never appear on a 404 page: the data of the object outside the scope.
    secret: Callable[[SimpleNamespace], str] | None = None


def pk(attr: str) -> Callable[[SimpleNamespace, object], dict]:
    return lambda w, user: {"pk": getattr(w, attr).pk}


def get_and_post(name: str, label: str, expected: dict[str, int], **kw) -> list[Case]:
    """A form page: the same refusals for GET and for a (blank) POST; allowed roles see the form again."""
    return [Case(name, label, expected, **kw), Case(name, label, expected, method="post", **kw)]


def rows(package: str, attr: str) -> list:
    """Concatenate `attr` of every module in the package `tests.<package>`, in module-name order."""
    pkg = importlib.import_module(f"tests.{package}")
    out: list = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        out.extend(getattr(importlib.import_module(f"tests.{package}.{info.name}"), attr, []))
    return out


# --- the API matrix: OpenAPI path × role; anonymous means no token (401 unless public).
API_ROLES = ("anonymous", *LOGGED_IN)


@dataclass
class Op:
    method: str
    path: str  # as in the OpenAPI schema, e.g. "/api/v1/members/{id}/appraisals/{year}"
    expected: dict[str, int]
    params: Callable[[SimpleNamespace], dict] = lambda w: {}  # path parameters
    body: Callable[[SimpleNamespace], object] = lambda w: None
    label: str = ""
    query: Callable[[SimpleNamespace], dict] = lambda w: {}  # query parameters of a GET


def api_expect(default: int, *, anonymous: int = 401, **roles: int) -> dict[str, int]:
    unknown = set(roles) - set(LOGGED_IN)
    assert not unknown, unknown
    return {"anonymous": anonymous} | {role: roles.get(role, default) for role in LOGGED_IN}
