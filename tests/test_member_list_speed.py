"""The member list at county scale (issue 13): a searchable branch picker instead of an 800-option
<select>, rows drawn from plain values with the same content and masking."""

from __future__ import annotations

import re

import pytest

from apps.orgs.forms import MemberFilterForm

from . import factories as f


def _options(markup: str) -> list[str]:
    return re.findall(r"<option value=\"(\d*)\"[^>]*>([^<]*)</option>", markup)


@pytest.fixture
def picker(monkeypatch):
    """Few enough branches in the test world to need a picker: lower the threshold."""
    monkeypatch.setattr(MemberFilterForm, "PICKER_OVER", 2)


def test_a_small_scope_keeps_the_whole_select(world, login):
    page = login(world.office).get("/members/").content.decode()
    assert 'name="branch_q"' not in page
    names = {name for _, name in _options(page)}
    assert {world.village.name, world.village2.name, world.organ.name} <= names


def test_a_large_scope_gets_a_picker_that_holds_only_the_chosen_branch(world, login, picker):
    client = login(world.county_user)
    page = client.get("/members/").content.decode()
    assert 'name="branch_q"' in page and 'hx-get="/members/branches/"' in page
    assert world.village.name not in {name for _, name in _options(page)}
    chosen = client.get(f"/members/?branch={world.village.pk}").content.decode()
    assert (str(world.village.pk), world.village.name) in _options(chosen)
    assert f'<option value="{world.village.pk}" selected>' in chosen


def test_the_picker_finds_branches_by_name_within_the_scope(world, login, picker):
    options = _options(login(world.county_user).get("/members/branches/", {"branch_q": "村"}).content.decode())
    assert options[0] == ("", "全部党组织")
    assert {world.village.name, world.village2.name, world.far_village.name} <= {name for _, name in options}

    f.org("西岭二村党支部", world.other_town)
    f.org("西岭三村党支部", world.other_town)
    found = {name for _, name in _options(login(world.other_office).get("/members/branches/", {"branch_q": "村"}).content.decode())}
    assert world.far_village.name in found and world.village.name not in found


def test_without_script_the_form_searches_the_branches(world, login, picker):
    page = login(world.county_user).get("/members/", {"branch_q": "南坑"}).content.decode()
    assert world.village2.name in {name for _, name in _options(page)}
    assert "共 " in page  # the list itself is not filtered by the search text


def test_rows_show_the_same_masked_values(world, login):
    f.member(world.village, "周九", phone="13812345678")
    page = login(world.office).get("/members/?q=周九").content.decode()
    assert "13812345678" not in page and "5678" in page
    assert f"/members/{world.member.pk}/" in login(world.office).get("/members/").content.decode()


@pytest.mark.parametrize("who", ["office", "secretary", "county_user"])
def test_the_pages_hold_exactly_the_members_in_scope(world, login, who):
    """The page's rows are read without the scope's subquery (BranchOrderedMembers `rows`), from the
    branches the scoped count found: still only, and all, the members in the scope."""
    from apps.orgs.models import Member

    for i in range(60):
        f.member(world.far_village if i % 2 else world.village, f"分页党员{i:02d}")
    user = getattr(world, who)
    client = login(user)
    first = client.get("/members/?q=分页").context["page"]
    shown = []
    for number in range(1, first.paginator.num_pages + 1):
        shown += list(client.get(f"/members/?page={number}&q=分页").context["page"])
    expected = set(Member.objects.visible_to(user).filter(name__contains="分页").values_list("pk", flat=True))
    assert len(shown) == len(set(shown)) and set(shown) == expected
