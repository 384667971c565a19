"""Two town users designating villages at once against one quota place: exactly one candidate is created, the
other is refused naming the quota; two inspectors finalizing at once: one finalization, the other a 409.
Runs on SQLite and, under scripts/with-postgres.sh, PostgreSQL."""

from __future__ import annotations

import pytest

from apps.audit.models import AuditLog
from apps.core.actions import ActionError, Conflict
from apps.villages import actions
from apps.villages.choices import VillageStatus
from apps.villages.models import Inspection, VillageCandidate

from . import factories as f
from .build_villages import grouped, inspection_data, roomy
from .test_nominations_concurrency import _race


@pytest.mark.django_db(transaction=True)
def test_two_designations_one_quota_place(world):
    roomy(world.campaign, 50)  # 2 villages × 50% = 1 place
    outcomes = _race(
        [
            lambda: actions.designate_villages(world.office, world.campaign, [world.village]),
            lambda: actions.designate_villages(world.approver, world.campaign, [world.village2]),
        ]
    )
    wins = [o for o in outcomes if isinstance(o, list)]
    refusals = [o for o in outcomes if isinstance(o, ActionError)]
    assert len(wins) == 1 and len(refusals) == 1, outcomes
    assert "超出示范村名额" in " ".join(refusals[0].blockers)
    assert VillageCandidate.objects.filter(campaign=world.campaign).count() == 1
    assert AuditLog.objects.filter(action="village.designate").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_inspectors_finalize_once(world):
    candidate = grouped(world)
    member = f.user("inspector3", "inspector", world.town)
    candidate.group.members.add(member)
    actions.save_inspection(world.inspector, candidate, inspection_data(world))
    outcomes = _race(
        [
            lambda: actions.finalize_inspection(world.inspector, VillageCandidate.objects.get(pk=candidate.pk)),
            lambda: actions.finalize_inspection(member, VillageCandidate.objects.get(pk=candidate.pk)),
        ]
    )
    wins = [o for o in outcomes if isinstance(o, Inspection)]
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(wins) == 1 and len(conflicts) == 1, outcomes
    assert VillageCandidate.objects.get(pk=candidate.pk).status == VillageStatus.FINALIZED
    assert AuditLog.objects.filter(action="village.inspection_finalize").count() == 1
