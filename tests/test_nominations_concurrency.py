"""Two reviewers deciding the same nomination at once: exactly one Review and one transition; the other
gets a Conflict (409) naming who decided. Runs on SQLite and, under scripts/with-postgres.sh, PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection

from apps.accounts.models import Role
from apps.audit.models import AuditLog
from apps.core.actions import Conflict
from apps.nominations import actions
from apps.nominations.choices import Decision, NominationStatus
from apps.nominations.models import Nomination, Review

from . import factories as f
from .build_nominations import submitted


def _busy_wait(fn):
    """The test database on SQLite is in memory with a shared cache, where a writer that meets another's
    lock gets "database table is locked" at once instead of waiting `timeout` seconds as it does on the
    WAL file of a real server. Retrying the whole atomic action emulates that wait; PostgreSQL needs no
    retry (select_for_update blocks)."""
    for _ in range(200):
        try:
            return fn()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = _busy_wait(fn)
        except Exception as exc:  # noqa: BLE001  (the outcome is what the test inspects)
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("decisions", [(Decision.APPROVE, Decision.RETURN), (Decision.APPROVE, Decision.APPROVE)])
def test_two_reviewers_one_transition(world, decisions):
    second = f.user("approver2", Role.TOWN_APPROVER, world.town)
    nomination = submitted(world.secretary, world.campaign, world.village, recommended=1).nominations.get()
    reviewers = (world.approver, second)
    outcomes = _race(
        [
            lambda u=u, d=d: actions.decide_nomination(u, Nomination.objects.get(pk=nomination.pk), d, "理由")
            for u, d in zip(reviewers, decisions, strict=True)
        ]
    )
    wins = [o for o in outcomes if isinstance(o, Review)]
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(wins) == 1 and len(conflicts) == 1, outcomes
    assert "已由" in conflicts[0].blockers[0] and "请刷新" in conflicts[0].blockers[0]
    assert Review.objects.filter(nomination=nomination).count() == 1
    nomination.refresh_from_db()
    expected = NominationStatus.APPROVED if wins[0].decision == Decision.APPROVE else NominationStatus.RETURNED
    assert nomination.status == expected
    assert AuditLog.objects.filter(action__in=["nomination.approve", "nomination.return"], target_id=str(nomination.pk)).count() == 1
