"""The organization tree: subtotals over each subtree, a county's towns collapsed and opened one at a time."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.orgs.choices import Category

from . import factories as f


def _rows(client, url: str, **headers) -> dict[str, dict]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return {row["name"]: row for row in response.context["rows"]}


def test_every_row_counts_its_whole_subtree(world, login):
    rows = _rows(login(world.county_user), f"/orgs/?under={world.town.pk}")
    # The town: 张三, 李四 (预备), 王五, 赵六 active; 孙八 transferred out is not counted.
    assert (rows[world.town.name]["active"], rows[world.town.name]["formal"]) == (4, 3)
    assert (rows[world.village.name]["active"], rows[world.village.name]["formal"]) == (2, 1)
    assert (rows[world.organ.name]["active"], rows[world.organ.name]["formal"]) == (1, 1)
    assert (rows[world.other_town.name]["active"], rows[world.other_town.name]["formal"]) == (1, 1)
    assert (rows[world.county.name]["active"], rows[world.county.name]["formal"]) == (5, 4)


def test_a_county_sees_its_towns_collapsed_and_opens_one(world, login):
    client = login(world.county_user)
    rows = _rows(client, "/orgs/")
    assert set(rows) == {world.county.name, world.town.name, world.other_town.name}
    assert rows[world.town.name]["expand_url"] == f"/orgs/?under={world.town.pk}"
    assert rows[world.county.name]["expand_url"] == ""

    opened = _rows(client, f"/orgs/?under={world.town.pk}")
    assert world.village.name in opened and world.far_village.name not in opened
    assert opened[world.town.name]["expand_url"] == "" and opened[world.other_town.name]["expand_url"]

    # htmx: only the town's own rows, which replace its collapsed row.
    response = client.get(f"/orgs/?under={world.town.pk}", headers={"HX-Request": "true"})
    names = [row["name"] for row in response.context["rows"]]
    assert names[0] == world.town.name and set(names) == {world.town.name, world.village.name, world.village2.name, world.organ.name}
    assert "<html" not in response.content.decode()
    assert [r["indent"] for r in response.context["rows"]] == [1, 2, 2, 2]


def test_a_town_sees_its_whole_tree(world, login):
    rows = _rows(login(world.office), "/orgs/")
    assert set(rows) == {world.town.name, world.village.name, world.village2.name, world.organ.name}
    assert all(row["expand_url"] == "" for row in rows.values())
    assert rows[world.town.name]["indent"] == 0 and rows[world.village.name]["indent"] == 1


@pytest.mark.parametrize("under", ["far_village", "other_town"])
def test_opening_an_organization_outside_the_scope_is_not_found(world, login, under):
    assert login(world.office).get(f"/orgs/?under={getattr(world, under).pk}").status_code == 404


@pytest.mark.parametrize("under", ["abc", "99999999999999999999", ""])
def test_a_bad_under_is_ignored_or_not_found(world, login, under):
    assert login(world.county_user).get(f"/orgs/?under={under}").status_code in (200, 404)


def test_opening_a_town_runs_the_same_queries_however_many_branches(world, login):
    client = login(world.county_user)
    url = f"/orgs/?under={world.town.pk}"

    def count() -> int:
        client.get(url, headers={"HX-Request": "true"})
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(12):
        branch = f.org(f"新村{i}党支部", world.town)
        f.member(branch, f"新党员{i}", category=Category.FORMAL)
    assert count() == few
