"""Less-travelled requests of API.md found by walking the demo from outside: ids a client may send that the
database cannot hold get the error body of API.md, never a 500."""

from __future__ import annotations

import pytest

from apps.meetings.models import PollRound

from . import build_meetings as b

HUGE = str(2**70)
JUST_OVER_64_BITS = str(2**63)


@pytest.mark.parametrize("key", [HUGE, JUST_OVER_64_BITS])
def test_a_tally_naming_a_candidate_id_beyond_64_bits_is_a_400(world, api, key):
    meeting, (a, _) = b.ready_meeting(world, voters=10, candidates=2, method="paper")
    entry = {"teller": "counter", "issued": 10, "returned": 10, "valid": 10, "invalid": 0, "votes": {key: 1, str(a.pk): 5}}
    r = api(world.secretary).post(f"meetings/{meeting.pk}/tallies", entry)
    assert r.status_code == 400, r.content
    assert set(r.json()) == {"detail", "blockers"} and r.json()["blockers"]
    assert not PollRound.objects.filter(meeting=meeting).exists()  # a refused call changes nothing


def test_a_tally_with_a_candidate_outside_the_round_is_still_a_422(world, api):
    meeting, (a, _) = b.ready_meeting(world, voters=10, candidates=2, method="paper")
    entry = {"teller": "counter", "issued": 10, "returned": 10, "valid": 10, "invalid": 0, "votes": {"999999": 1}}
    r = api(world.secretary).post(f"meetings/{meeting.pk}/tallies", entry)
    assert r.status_code == 422 and any("999999" in x for x in r.json()["blockers"])
