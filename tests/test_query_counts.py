"""Pages that list members or organizations run a fixed number of queries, however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.orgs.choices import Category, MemberStatus

from . import factories as f


def _count_queries(client, url: str) -> int:
    client.get(url)  # the first request fills per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _grow(branch, total: int) -> None:
    have = branch.members.count()
    for i in range(have, total):
        category = Category.PROBATIONARY if i % 7 == 0 else Category.FORMAL
        status = MemberStatus.TRANSFERRED if i % 11 == 0 else MemberStatus.ACTIVE
        f.member(branch, f"测试党员{i:03d}", category=category, status=status)


PAGES = {
    "member list": lambda w: "/members/",
    "member list, page 2": lambda w: "/members/?page=2",
    "member list, filtered": lambda w: f"/members/?category=formal&status=active&branch={w.town.pk}",
    "member list, appraisal filter": lambda w: "/members/?appraisal=missing",
    "org tree": lambda w: "/orgs/",
    "quotas": lambda w: f"/campaigns/{w.campaign.pk}/quotas/",
    "home": lambda w: "/",
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["office", "county_user", "secretary"])
def test_queries_do_not_grow_with_rows(world, login, page, who):
    if who == "secretary" and page == "member list, filtered":
        pytest.skip("the town is outside a branch secretary's branch filter")
    user = getattr(world, who)
    # A branch the user sees: a new one in the town, or the secretary's own village.
    branch = world.village if who == "secretary" else f.org("新建村党支部", world.town)
    client = login(user)
    url = PAGES[page](world)

    _grow(branch, 5)
    few = _count_queries(client, url)
    _grow(branch, 60)
    many = _count_queries(client, url)

    assert many == few, f"{page}: {few} queries with 5 members, {many} with 60"


def test_member_list_pages_through_sixty_members(world, login):
    """The 60 members land on two pages and the page shows the total."""
    branch = f.org("新建村党支部", world.town)
    _grow(branch, 60)
    client = login(world.office)
    total = 60 + 5  # the world's town has five members of its own
    first = client.get("/members/").content.decode()
    second = client.get("/members/?page=2").content.decode()
    assert f"共 {total} 条" in first
    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second
