"""Races in the 公示 and the commendation: two office users concluding one objection, two notices posted
at once, two approvers commending at once: exactly one transition each, the other gets a Conflict or a
refusal and nothing is written twice. Runs on SQLite and, under scripts/with-postgres.sh, PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.accounts.models import Role
from apps.audit.models import AuditLog
from apps.commendations.actions import commend
from apps.commendations.models import Commendation
from apps.core import clock
from apps.core.actions import ActionError, Conflict
from apps.nominations.choices import NominationStatus
from apps.notices.actions import conclude_objection, create_notice, record_objection
from apps.notices.models import Notice, Objection

from . import factories as f
from .build_notices import listed_nomination
from .test_nominations_concurrency import _race


def past() -> dt.date:
    return clock.today() - dt.timedelta(days=30)


@pytest.mark.django_db(transaction=True)
def test_two_offices_conclude_one_objection(world):
    second = f.user("office2", Role.TOWN_OFFICE, world.town)
    nomination = listed_nomination(world.campaign, world.member)
    notice = create_notice(world.office, world.campaign, past())
    objection = record_objection(world.office, notice, text="来信", received_on=notice.start, nomination_id=nomination.pk)
    outcomes = _race(
        [
            lambda: conclude_objection(world.office, Objection.objects.get(pk=objection.pk), "upheld", "属实"),
            lambda: conclude_objection(second, Objection.objects.get(pk=objection.pk), "dismissed", "不属实"),
        ]
    )
    wins = [o for o in outcomes if isinstance(o, Objection)]
    assert len(wins) == 1 and sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    objection.refresh_from_db()
    nomination.refresh_from_db()
    assert objection.outcome == wins[0].outcome
    assert nomination.status == (NominationStatus.WITHDRAWN if objection.outcome == "upheld" else NominationStatus.LISTED)
    assert AuditLog.objects.filter(action="objection.conclude", target_id=str(objection.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_notices_posted_at_once(world):
    second = f.user("office2", Role.TOWN_OFFICE, world.town)
    listed_nomination(world.campaign, world.member)
    outcomes = _race([lambda u=u: create_notice(u, world.campaign, past()) for u in (world.office, second)])
    assert sum(isinstance(o, Notice) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, ActionError) for o in outcomes) == 1, outcomes
    assert Notice.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_approvers_commend_at_once(world):
    second = f.user("approver2", Role.TOWN_APPROVER, world.town)
    listed_nomination(world.campaign, world.member)
    listed_nomination(world.campaign, world.member2)
    create_notice(world.office, world.campaign, past())
    outcomes = _race([lambda u=u: commend(u, world.campaign, f"东党发〔2026〕{u.pk}号", clock.today()) for u in (world.approver, second)])
    assert sum(isinstance(o, Commendation) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    assert Commendation.objects.count() == 1
    numbers = sorted(world.campaign.nominations.values_list("certificate_no", flat=True))
    assert numbers == [f"东岭镇-{world.campaign.year}-001", f"东岭镇-{world.campaign.year}-002"]
