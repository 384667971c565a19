"""Helpers for the API behaviour tests: a refused call must change nothing."""

from __future__ import annotations

from contextlib import contextmanager

from apps.accounts.models import User
from apps.audit.models import AuditLog
from apps.campaigns.models import Campaign, Criterion
from apps.orgs.models import Appraisal, Member, Organization

COUNTED = (AuditLog, Campaign, Criterion, Member, Appraisal, Organization, User)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@contextmanager
def unchanged():
    """The block's calls leave every table as it was (no row added, no audit row written)."""
    before = counts()
    yield
    assert counts() == before


def refused(response, status: int, *fragments: str) -> dict:
    """The error body of API.md with this status; each fragment appears in the detail or a blocker."""
    assert response.status_code == status, (response.status_code, response.content[:400])
    body = response.json()
    assert set(body) == {"detail", "blockers"} and body["detail"]
    text = " ".join([body["detail"], *body["blockers"]])
    for fragment in fragments:
        assert fragment in text, (fragment, body)
    return body


def bad_json(caller, method: str, path: str):
    """A body that is not JSON at all."""
    return getattr(caller.client, method)("/api/v1/" + path, data="{not json", content_type="application/json", headers=caller.headers)
