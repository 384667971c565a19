"""The member list's faster paging and <select> rendering give exactly what the plain versions give."""

from __future__ import annotations

import pickle
import random
import re
from array import array
from itertools import accumulate

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.paginator import Paginator

from apps.accounts.models import User
from apps.core import clock
from apps.orgs import paging
from apps.orgs.choices import Category, MemberStatus
from apps.orgs.forms import MemberFilterForm
from apps.orgs.models import Appraisal, Member, Organization
from apps.orgs.paging import ORDERING, Branches, BranchOrderedMembers

from . import factories as f


@pytest.fixture
def crowd(world):
    """Seven more branches (one nested, one empty) with members whose names repeat across branches."""
    rng = random.Random(7)
    branches = [f.org(f"第{i}村党支部", world.town) for i in range(5)]
    branches.append(f.org("第0村第一党小组", branches[0]))
    branches.append(f.org("空支部", world.town))
    names = ["王芳", "李强", "张伟", "刘洋", "陈静", "杨帆", "王伟"]
    for branch in branches[:-1]:
        for _ in range(rng.randrange(0, 14)):
            member = f.member(
                branch,
                rng.choice(names),
                category=rng.choice([Category.FORMAL, Category.PROBATIONARY]),
                status=MemberStatus.TRANSFERRED if rng.random() < 0.1 else MemberStatus.ACTIVE,
            )
            if rng.random() < 0.5:
                Appraisal.objects.create(member=member, year=2025, grade=rng.choice(["excellent", "qualified"]))
    return world


@pytest.mark.parametrize(
    "filters",
    [{}, {"status": MemberStatus.ACTIVE}, {"name__contains": "王"}, {"appraisals__year": 2025}, {"name__contains": "无此人"}],
)
@pytest.mark.parametrize("who", ["office", "county_user", "admin"])
def test_slices_match_the_sorted_queryset(crowd, filters, who):
    members = Member.objects.visible_to(getattr(crowd, who)).filter(**filters).select_related("branch")
    expected = [m.pk for m in members.order_by(*ORDERING)]
    paged = BranchOrderedMembers(members)
    assert paged.count() == len(expected) == len(paged)
    for start, stop in [(0, 5), (3, 11), (5, 10), (0, 1000), (7, 8), (len(expected), len(expected) + 5), (12, 40)]:
        assert [m.pk for m in paged[start:stop]] == expected[start:stop], (start, stop)


def test_paginator_pages_match(crowd):
    members = Member.objects.visible_to(crowd.office).select_related("branch")
    expected = [m.pk for m in members.order_by(*ORDERING)]
    paginator = Paginator(BranchOrderedMembers(members), 6)
    got = [m.pk for number in paginator.page_range for m in paginator.page(number)]
    assert got == expected
    assert paginator.get_page(999).number == paginator.num_pages


def test_member_list_view_order_is_path_name_pk(crowd, login):
    client = login(crowd.county_user)
    expected = list(Member.objects.visible_to(crowd.county_user).order_by(*ORDERING).values_list("pk", flat=True))
    shown = []
    for number in range(1, len(expected) // 50 + 2):
        response = client.get(f"/members/?page={number}")
        page = list(response.context["page"])  # the members shown, by id
        assert [int(pk) for pk in re.findall(r'<tr><td><a href="/members/(\d+)/">', response.content.decode())] == page
        shown += page
    assert shown == expected


def test_branch_filter_keeps_the_chosen_branch_selected(crowd, login):
    html = login(crowd.office).get(f"/members/?branch={crowd.village.pk}").content.decode()
    assert f'<option value="{crowd.village.pk}" selected>' in html
    assert html.count(" selected>") == 1 + 3  # the branch and the three other filters' blank choices


def test_gen_county_small(db, capsys):
    call_command("gen_county", towns=2, branches=5, members=60, seed=1, password="Gen-pass-2026")
    county = Organization.objects.get(parent=None)
    assert Organization.objects.filter(level="town").count() == 2
    assert Organization.objects.basic().count() == 5
    assert Member.objects.count() == 60
    assert all(o.path.startswith(county.path) for o in Organization.objects.all())
    assert Appraisal.objects.exists()
    out = capsys.readouterr().out
    for username in ("gen_county_reviewer", "gen_town_office", "gen_branch_secretary"):
        assert username in out
        assert User.objects.get(username=username).check_password("Gen-pass-2026")

    with pytest.raises(CommandError):
        call_command("gen_county", towns=1, branches=1, members=1)
    call_command("gen_county", towns=1, branches=2, members=10, force=True)
    assert Organization.objects.filter(parent=None).count() == 2
    assert Member.objects.count() == 70


def test_every_window_matches_the_sorted_queryset(crowd):
    """Every start, with windows from empty to past the end and open-ended: the branches holding a window are found
    by bisection over the running totals."""
    members = Member.objects.visible_to(crowd.county_user).select_related("branch")
    expected = [m.pk for m in members.order_by(*ORDERING)]
    paged = BranchOrderedMembers(members)
    for start in range(len(expected) + 2):
        for stop in (start, start + 1, start + 2, start + 13, None):
            assert [m.pk for m in paged[start:stop]] == expected[start:stop], (start, stop)


def test_a_filtered_pages_plan_key_holds_every_filter_and_the_branchs_path(crowd):
    form = MemberFilterForm({"q": " 王 ", "branch": crowd.village.pk, "status": "active"}, user=crowd.office)
    assert form.is_valid()
    day, filters = form.plan_key()
    assert day == clock.today()
    assert dict(filters)["branch"] == (crowd.village.pk, crowd.village.path)
    assert dict(filters)["q"] == "王" and dict(filters)["status"] == "active"
    other = MemberFilterForm({"q": "王", "branch": crowd.village.pk, "status": "active"}, user=crowd.county_user)
    assert other.is_valid() and other.plan_key() == form.plan_key()  # the same filters, whoever asks


def _by_ids(ids):
    found = {m.pk: m for m in Member.objects.filter(pk__in=ids)}
    return [found[pk] for pk in ids]


@pytest.mark.parametrize("limit", [paging.MATCHES_KEPT, 3])
def test_a_search_read_by_its_matches_ids_matches_the_sorted_queryset(crowd, monkeypatch, limit):
    """A filtered list keeps its few matches' ids and reads a page by them; past MATCHES_KEPT it pages by branch."""
    monkeypatch.setattr(paging, "MATCHES_KEPT", limit)
    members = Member.objects.visible_to(crowd.county_user).filter(name__contains="王")
    expected = [m.pk for m in members.order_by(*ORDERING)]
    assert len(expected) > 3

    def window(ids, offset, limit):
        return list(members.filter(branch_id__in=ids).order_by(*ORDERING)[offset : offset + limit])

    paged = BranchOrderedMembers(lambda: members, window_rows=window, matched_rows=_by_ids)
    assert (paged.branches().members is not None) == (limit > 3)
    assert paged.count() == len(expected)
    for start in range(len(expected) + 2):
        for stop in (start, start + 1, start + 7, None):
            assert [m.pk for m in paged[start:stop]] == expected[start:stop], (start, stop)


def test_the_county_search_pages_are_the_sorted_matches(crowd, login):
    client = login(crowd.county_user)
    matches = Member.objects.visible_to(crowd.county_user).filter(name__contains="王").order_by(*ORDERING)
    expected = list(matches.values_list("pk", flat=True))
    shown = []
    for number in range(1, len(expected) // 50 + 2):
        shown += list(client.get(f"/members/?q=王&page={number}").context["page"])
    assert shown == expected and expected


@pytest.mark.parametrize("matches", [None, array("q", range(90_000, 95_000, 3))])
def test_kept_counts_pickle_small_and_come_back_whole(matches):
    """A county's counts are kept in the database cache as base64 text and read on every page: packed, not 17 KB."""
    rng = random.Random(13)
    ids = array("q", accumulate(rng.randint(1, 3) for _ in range(800)))
    totals = array("q", accumulate(rng.randint(10, 64) for _ in range(800)))
    kept = Branches(ids, totals, matches)
    packed = pickle.dumps(kept, pickle.HIGHEST_PROTOCOL)
    back = pickle.loads(packed)
    assert type(back) is Branches and back == kept
    assert all(type(part) is array and part.typecode == "q" for part in back if part is not None)
    plain = sum(len(a.tobytes()) for a in kept if a is not None)
    assert len(packed) < plain / 3
    assert pickle.loads(pickle.dumps(Branches(array("q"), array("q")))) == (array("q"), array("q"), None)
