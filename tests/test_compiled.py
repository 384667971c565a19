"""apps/core/compiled.py: a query compiled once and run again with another value gives what the ORM gives."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.models import Model, OuterRef, Subquery
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.campaigns.models import Campaign
from apps.core.compiled import CompiledQuery, CompiledWindow

from .factories import PASSWORD


def field_values(obj: Model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_user_read_by_the_compiled_query_is_the_one_the_orm_reads(world, django_assert_num_queries):
    world.office.last_login = timezone.now()
    world.office.save(update_fields=["last_login"])
    compiled = CompiledQuery(lambda pk: User.objects.select_related("organization").filter(pk=pk))
    for user in (world.office, world.secretary, world.county_user, world.admin):
        expected = User.objects.select_related("organization").get(pk=user.pk)
        with django_assert_num_queries(1):
            found = compiled.first(user.pk)
            organization = found.organization  # read with the user: no query of its own
        assert type(found) is User and found.pk == user.pk
        assert field_values(found) == field_values(expected)
        assert (organization is None) == (user.organization_id is None)
        if organization is not None:
            assert field_values(organization) == field_values(expected.organization)
        assert found._state.adding is False and found._state.db == "default"
    # Converters ran: a datetime, not the database's text; a bool, not 0/1.
    found = compiled.first(world.office.pk)
    assert isinstance(found.last_login, dt.datetime) and found.last_login.tzinfo is not None
    assert found.is_active is True and found.must_change_password is False


def test_a_value_no_row_has_gives_none(world):
    compiled = CompiledQuery(lambda pk: User.objects.select_related("organization").filter(pk=pk))
    assert compiled.first(world.office.pk) is not None
    assert compiled.first(10**9) is None


def test_a_saved_change_is_read_at_once(world):
    """Only the SQL is kept, never a row: a change made after the first run is in the next one."""
    compiled = CompiledQuery(lambda pk: User.objects.select_related("organization").filter(pk=pk))
    assert compiled.first(world.office.pk).display_name == "office"
    User.objects.filter(pk=world.office.pk).update(display_name="改名后", is_active=False)
    found = compiled.first(world.office.pk)
    assert (found.display_name, found.is_active) == ("改名后", False)


def test_decimals_and_dates_come_back_as_the_orm_gives_them(world):
    compiled = CompiledQuery(lambda pk: Campaign.objects.select_related("town").filter(pk=pk))
    found, expected = compiled.first(world.campaign.pk), Campaign.objects.select_related("town").get(pk=world.campaign.pk)
    assert field_values(found) == field_values(expected)
    assert field_values(found.town) == field_values(expected.town)


def test_a_query_with_more_than_the_value_in_its_parameters_is_refused(world):
    compiled = CompiledQuery(lambda pk: User.objects.filter(pk=pk, username="office"))
    with pytest.raises(ValueError, match="only parameters"):
        compiled.first(world.office.pk)


def test_a_query_of_several_values_takes_them_in_the_sqls_order(world):
    compiled = CompiledQuery(lambda pk, name: User.objects.filter(pk=pk, username=name), probes=(-1, "-no-such-user-"))
    assert compiled.first(world.office.pk, "office") == world.office
    assert compiled.first(world.office.pk, "secretary") is None
    with pytest.raises(TypeError, match="2 value"):
        compiled.first(world.office.pk)
    swapped = CompiledQuery(lambda pk, name: User.objects.filter(username=name).filter(pk=pk), probes=(-1, "-no-such-user-"))
    with pytest.raises(ValueError, match="in order"):
        swapped.first(world.office.pk, "office")


def test_a_deactivated_account_is_signed_out_on_its_next_request(world):
    client = Client()
    client.post("/accounts/login/", {"username": "secretary", "password": PASSWORD})
    assert client.get("/").status_code == 200
    User.objects.filter(pk=world.secretary.pk).update(is_active=False)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _members_of(ids):
    from apps.orgs.models import Member

    return (
        Member.objects.filter(branch_id__in=ids)
        .order_by("branch__path", "name", "pk")
        .values_list("pk", "name", "birth_date", "branch__name")
    )


def test_a_compiled_window_reads_the_rows_the_orm_slice_reads(world):
    from . import factories as f

    for i in range(7):
        f.member(world.village2, f"窗口{i}")
    compiled = CompiledWindow(_members_of)
    branches = [world.village.pk, world.village2.pk]
    for ids in (branches, branches[::-1], branches[:1], branches[1:]):
        everyone = list(_members_of(ids))
        assert len(everyone) >= 3
        for offset, limit in ((0, 2), (1, 3), (2, 50), (len(everyone) - 1, 5), (len(everyone), 5)):
            assert compiled.rows(ids, offset, limit) == everyone[offset : offset + limit], (ids, offset, limit)
    assert sorted(compiled._plans) == [("default", 1, ()), ("default", 2, ())]  # one compile per number of ids
    assert compiled.rows([], 0, 10) == []


def test_a_compiled_window_reads_every_row_of_its_ids_without_a_window(world):
    # every() is for ids that are a page already (the member list's search matches): no LIMIT, which a prepared
    # statement's generic plan on PostgreSQL cannot know and guessed small (a nested loop over every organization).
    from . import factories as f

    for i in range(4):
        f.member(world.village2, f"整页{i}")
    compiled = CompiledWindow(_members_of)
    ids = [world.village.pk, world.village2.pk]
    everyone = list(_members_of(ids))
    with CaptureQueriesContext(connection) as queries:
        assert compiled.every(ids) == everyone
    assert len(queries) == 1 and "LIMIT" not in queries[0]["sql"].upper()
    assert compiled.rows(ids, 1, 2) == everyone[1:3]  # the same plan, with a window
    assert list(compiled._plans) == [("default", 2, ())]
    assert compiled.every([]) == []


def test_any_of_finds_what_in_finds_with_the_list_as_one_parameter_on_postgresql(world):
    from apps.orgs.models import Member, Organization

    ids = list(Member.objects.values_list("pk", flat=True))
    assert len(ids) >= 3
    for chosen in (ids, ids[:1], ids[1:], [], [-1, ids[0]]):
        expected = list(Member.objects.filter(pk__in=chosen).order_by("pk").values_list("pk", flat=True))
        assert list(Member.objects.filter(pk__any_of=chosen).order_by("pk").values_list("pk", flat=True)) == expected
        across = Organization.objects.filter(members__pk__any_of=chosen).order_by("pk").values_list("pk", flat=True)
        assert list(across) == list(Organization.objects.filter(members__pk__in=chosen).order_by("pk").values_list("pk", flat=True))
    sql, params = Member.objects.filter(pk__any_of=ids).values_list("pk").query.sql_with_params()
    if connection.vendor == "postgresql":
        # One parameter, whatever the number of ids: the text of an array of the column's type.
        assert re.search(r"= ANY\(%s::(integer|bigint)\[\]\)", sql), sql
        assert list(params) == ["{" + ",".join(map(str, ids)) + "}"]
    else:
        assert list(params) == ids
    # Values other than integers go as a list (an array psycopg writes).
    names = ["张三", "王五", "无此人", '引号"与,逗号{}']
    assert set(Member.objects.filter(name__any_of=names).values_list("name", flat=True)) == {"张三", "王五"}
    sql, params = Member.objects.filter(name__any_of=names).values_list("pk").query.sql_with_params()
    assert list(params) == ([names] if connection.vendor == "postgresql" else names)


def test_a_compiled_window_takes_a_list_as_one_parameter(world):
    # The member list's search page: its fifty members by id, one parameter (an array's text on PostgreSQL), each with
    # its branch's name by a subquery (apps/orgs/views.py).
    from apps.orgs.models import Member, Organization

    from . import factories as f

    for i in range(3):
        f.member(world.village2, f"整表{i}")

    def build(ids, name):
        branch_name = Subquery(Organization.objects.filter(pk=OuterRef("branch_id")).values("name"))
        found = Member.objects.filter(pk__any_of=ids, name__startswith=name).annotate(branch_name=branch_name)
        return found.order_by("pk").values_list("pk", "name", "branch_name")

    compiled = CompiledWindow(build)
    members = list(Member.objects.order_by("pk").values_list("pk", flat=True))
    for ids, name in ((members, "整表"), (members[::-1], "整表"), (members[-2:], "整表"), (members, "张"), (members[:1], "无此人")):
        expected = list(build(ids, name))
        with CaptureQueriesContext(connection) as queries:
            assert compiled.every(ids, name, key=name) == expected
            assert compiled.rows(ids, 1, 5, name, key=name) == expected[1:6]
        assert len(queries) == 2
    assert [row[1:] for row in compiled.every(members, "整表", key="整表")] == [(f"整表{i}", world.village2.name) for i in range(3)]
    if connection.vendor == "postgresql":
        assert queries[0]["sql"].count("ANY(") == 1


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda ids: _members_of(ids)[:5], "without a slice"),
        (lambda ids: _members_of(ids).order_by(), "ordered"),
        (lambda ids: _members_of(ids).values("pk"), "values_list"),
        (lambda ids: _members_of(ids).filter(pk__in=ids), "side by side"),
    ],
)
def test_a_compiled_window_refuses_a_query_it_cannot_run_again(world, build, message):
    with pytest.raises(ValueError, match=message):
        CompiledWindow(build).rows([world.village.pk], 0, 10)


def test_a_compiled_window_keeps_a_plan_per_key_with_the_other_parameters_around_the_ids(world):
    from apps.orgs.models import Member

    def build(ids, name, born_after):
        query = Member.objects.filter(name__contains=name, branch_id__in=ids, birth_date__gt=born_after)
        return query.order_by("branch__path", "name", "pk").values_list("pk", "name")

    compiled = CompiledWindow(build)
    ids = [world.village.pk, world.village2.pk, world.far_village.pk]
    for name in ("张", "王", "钱", "无此人"):
        expected = list(build(ids, name, dt.date(1970, 1, 1)))
        assert compiled.rows(ids, 0, 10, name, dt.date(1970, 1, 1), key=name) == expected
    assert compiled.rows(ids, 0, 10, "张", dt.date(1970, 1, 1), key="张") == [(world.member.pk, "张三")]
    assert len(compiled._plans) == 4
    CompiledWindow.PLANS, before = 4, CompiledWindow.PLANS
    try:
        compiled.rows(ids, 0, 10, "李", dt.date(1970, 1, 1), key="李")  # a fifth: the plans are compiled anew
        assert list(compiled._plans) == [("default", 3, "李")]
    finally:
        CompiledWindow.PLANS = before
