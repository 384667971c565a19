"""Each member rule is written once (apps/orgs/rules.py) and holds on every path: the form, the action,
the roster import. A rule that only the form knew could be bypassed by an import or the API."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.core import clock
from apps.core.actions import ActionError
from apps.orgs.actions import create_member, record_appraisal, record_appraisals, update_member
from apps.orgs.choices import Category, Grade
from apps.orgs.forms import AppraisalForm, MemberFilterForm, MemberForm
from apps.orgs.models import Appraisal, Member
from apps.orgs.rules import appraisal_year_errors, category_errors
from apps.roster.forms import UploadForm
from apps.roster.normalize import CellError, clean_year

from .roster_files import new_id, person, table, upload, xlsx

NEXT_YEAR = clock.today().year + 1
YEAR_MESSAGE = f"评议年度应在 1990 至 {clock.today().year} 之间。"


def new_member(world, **changes) -> dict:
    number = new_id(77)
    data = {
        "name": "陈新民",
        "id_number": number,
        "ethnicity": "汉族",
        "category": Category.FORMAL,
        "joined_on": dt.date(2015, 7, 1),
        "confirmed_on": dt.date(2016, 7, 1),
        "branch": world.village,
        "post": "村会计",
    }
    return data | changes


@pytest.mark.parametrize(
    ("category", "confirmed_on", "message"),
    [
        (Category.PROBATIONARY, dt.date(2016, 7, 1), "预备党员不应有转正日期。"),
        (Category.FORMAL, dt.date(2015, 6, 30), "转正日期不能早于入党日期。"),
    ],
)
def test_create_member_itself_refuses_a_category_that_disagrees_with_the_confirmation_date(world, category, confirmed_on, message):
    with pytest.raises(ActionError) as refused:
        create_member(world.office, new_member(world, category=category, confirmed_on=confirmed_on))
    assert refused.value.message_dict == {"confirmed_on": [message]}
    assert not Member.objects.filter(id_number=new_id(77)).exists()


def test_update_member_refuses_a_confirmation_date_for_a_probationary_member(world):
    with pytest.raises(ActionError) as refused:
        update_member(world.office, world.probationary, {"confirmed_on": dt.date(2020, 7, 1)})
    assert refused.value.message_dict == {"confirmed_on": ["预备党员不应有转正日期。"]}
    world.probationary.refresh_from_db()
    assert world.probationary.confirmed_on is None


def test_a_valid_probationary_member_is_accepted_by_the_action(world):
    member = create_member(world.office, new_member(world, category=Category.PROBATIONARY, confirmed_on=None))
    assert member.category == Category.PROBATIONARY and member.confirmed_on is None


def test_the_form_and_the_import_give_the_same_reason_as_the_action(world, login):
    form = MemberForm(
        {"name": "陈新民", "id_number": new_id(77), "ethnicity": "汉族", "category": Category.PROBATIONARY}
        | {"joined_on": "2015-07-01", "confirmed_on": "2016-07-01", "branch": world.village.pk},
        user=world.office,
    )
    assert not form.is_valid() and form.errors["confirmed_on"] == ["预备党员不应有转正日期。"]
    row = person(1, "东岭村党支部", 人员类别="预备党员", 转正日期=dt.date(2016, 7, 1))
    client = login(world.office)
    preview = upload(client, xlsx(table([row])))
    body = client.get(preview["Location"]).content.decode()
    assert "第2行：预备党员不应有转正日期。" in body
    assert category_errors(Category.PROBATIONARY, None, dt.date(2016, 7, 1)) == ["预备党员不应有转正日期。"]


@pytest.mark.parametrize("year", [1989, NEXT_YEAR, 2100])
def test_every_path_refuses_the_same_appraisal_years_with_the_same_message(world, year):
    assert appraisal_year_errors(year) == [YEAR_MESSAGE]
    form = AppraisalForm({"year": year, "grade": Grade.QUALIFIED})
    assert not form.is_valid() and form.errors["year"] == [YEAR_MESSAGE], "the form no longer allows up to 2100"
    upload_form = UploadForm({"kind": "appraisals", "year": year}, user=world.office)
    assert not upload_form.is_valid() and upload_form.errors["year"] == [YEAR_MESSAGE]
    filter_form = MemberFilterForm({"year": year}, user=world.office)
    assert not filter_form.is_valid() and filter_form.errors["year"] == [YEAR_MESSAGE]
    with pytest.raises(CellError, match=YEAR_MESSAGE):
        clean_year(str(year))
    with pytest.raises(ActionError) as refused:
        record_appraisal(world.office, world.member, year, Grade.QUALIFIED)
    assert refused.value.message_dict == {"year": [YEAR_MESSAGE]}
    with pytest.raises(ActionError):
        record_appraisals(world.office, year, {world.member: Grade.QUALIFIED})
    assert not Appraisal.objects.filter(year=year).exists()


@pytest.mark.parametrize("year", [1990, clock.today().year])
def test_the_bounds_themselves_are_accepted_everywhere(world, year):
    assert appraisal_year_errors(year) == []
    assert AppraisalForm({"year": year, "grade": Grade.QUALIFIED}).is_valid()
    assert clean_year(str(year)) == year
    assert record_appraisal(world.office, world.member, year, Grade.QUALIFIED).year == year


def test_a_bad_grade_is_refused_by_the_action(world):
    with pytest.raises(ActionError) as refused:
        record_appraisal(world.office, world.member, 2020, "great")
    assert list(refused.value.message_dict) == ["grade"]


def test_a_member_in_a_town_is_refused_by_the_rule(world):
    with pytest.raises(ActionError) as refused:
        create_member(world.office, new_member(world, branch=world.town))
    assert refused.value.message_dict["branch"] == ["党员须编入基层党组织（党支部、党总支或村党委）。"]


def test_a_full_member_without_a_confirmation_date_is_accepted(world):
    """Missing data, not wrong data: the form, the action and the import accept it alike."""
    member = create_member(world.office, new_member(world, category=Category.FORMAL, confirmed_on=None))
    assert member.category == Category.FORMAL and member.confirmed_on is None
