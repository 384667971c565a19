"""Ballots: only FAILED code attempts are limited per client (page and API); valid ballots never are."""

import pytest
from django.core.cache import cache

from apps.meetings import ballot_limit
from apps.meetings.actions import open_poll
from apps.meetings.models import Ballot

from .build_meetings import ready_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes(world):
    cache.clear()
    meeting = ready_meeting(world, voters=30, candidates=2)[0]
    return open_poll(world.office, meeting)[1]


def test_a_whole_room_votes_through_one_address(world, client, codes):
    """More valid ballots from one address than the failure limit: all accepted."""
    assert len(codes) > ballot_limit.FAILURES_PER_WINDOW
    for code in codes:
        response = client.post("/vote/", {"code": code, "cast": "1"})
        assert response.status_code == 200
    assert Ballot.objects.count() == len(codes)


def test_failed_codes_block_the_page_then_the_api(world, client, api, codes):
    for i in range(ballot_limit.FAILURES_PER_WINDOW):
        response = client.post("/vote/", {"code": f"WRONG{i}"})
        assert response.status_code == 200
    blocked = client.post("/vote/", {"code": codes[0], "cast": "1"})
    assert blocked.status_code == 429 and "错误次数过多" in blocked.content.decode()
    assert not Ballot.objects.exists()  # a valid code is not even looked up while the client is blocked
    response = api(None).post("ballots", {"code": codes[0], "choices": []})
    assert response.status_code == 429


def test_api_failures_count_and_another_client_is_not_affected(world, api, client, codes):
    anon = api(None)
    for i in range(ballot_limit.FAILURES_PER_WINDOW):
        assert anon.post("ballots", {"code": f"NOPE{i}", "choices": []}).status_code == 404
    assert anon.post("ballots", {"code": codes[0], "choices": []}).status_code == 429
    other = client.post("/vote/", {"code": codes[1], "cast": "1"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200 and Ballot.objects.count() == 1


def test_the_count_lives_in_the_shared_cache(world, codes):
    ballot_limit.failed("10.1.1.1")
    assert cache.get(ballot_limit._key("10.1.1.1")) == 1
    assert not ballot_limit.blocked("10.1.1.1")
