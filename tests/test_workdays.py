"""The working-day calendar and the period of a notice (SPEC §3 step 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditLog
from apps.core.actions import ActionError
from apps.workdays.actions import add_day_override, delete_day_override
from apps.workdays.calendar import notice_period
from apps.workdays.models import DayOverride

D = dt.date.fromisoformat


def dates(*isos: str) -> list[dt.date]:
    return [D(s) for s in isos]


@pytest.mark.django_db
def test_natural_days_end_on_start_plus_days_minus_one():
    period = notice_period(D("2026-09-30"), 5, "natural")
    assert period.end == D("2026-10-04")
    assert len(period.days) == 5
    assert period.warnings == []


@pytest.mark.django_db
def test_national_day_2026_five_working_days_from_september_30():
    """Official 2026 arrangement: 10-01..10-07 off, Saturday 10-10 a working day (调休), 10-11 Sunday off."""
    period = notice_period(D("2026-09-30"), 5, "working")
    assert period.days == dates("2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12")
    assert period.end == D("2026-10-12")
    assert period.warnings == []


@pytest.mark.django_db
def test_spring_festival_2026():
    """Official 2026 arrangement: 02-15..02-23 off; Saturdays 02-14 and 02-28 are working days."""
    period = notice_period(D("2026-02-12"), 5, "working")
    assert period.days == dates("2026-02-12", "2026-02-13", "2026-02-14", "2026-02-24", "2026-02-25")
    period = notice_period(D("2026-02-26"), 3, "working")
    assert period.days == dates("2026-02-26", "2026-02-27", "2026-02-28")


@pytest.mark.django_db
def test_a_start_on_a_holiday_does_not_count():
    period = notice_period(D("2026-10-01"), 1, "working")
    assert period.days == [D("2026-10-08")]


@pytest.mark.django_db
def test_a_year_no_library_knows_counts_weekends_only_and_warns():
    period = notice_period(D("2101-01-01"), 5, "working")  # a Saturday; New Year's Day unknown
    assert period.days == dates("2101-01-03", "2101-01-04", "2101-01-05", "2101-01-06", "2101-01-07")
    assert len(period.warnings) == 1
    assert "2101" in period.warnings[0] and "节假日表" in period.warnings[0]


@pytest.mark.django_db
def test_a_year_only_estimated_uses_the_holidays_package_and_warns():
    """2027: chinese_calendar doesn't know it; `holidays` knows the festivals but no official 调休 yet."""
    period = notice_period(D("2027-09-30"), 2, "working")
    assert period.days[0] == D("2027-09-30")
    assert period.days[1] > D("2027-10-05")  # the National Day holiday is skipped
    assert any("2027" in w for w in period.warnings)


@pytest.mark.django_db
def test_a_period_across_two_years_warns_only_for_the_unknown_one():
    period = notice_period(D("2026-12-30"), 5, "working")
    assert period.days[:2] == dates("2026-12-30", "2026-12-31")
    assert [w for w in period.warnings if "2026" in w] == []
    assert any("2027" in w for w in period.warnings)


@pytest.mark.django_db
def test_the_holiday_table_wins_over_the_libraries(world):
    before = notice_period(D("2026-09-30"), 5, "working")
    add_day_override(world.office, D("2026-10-09"), False, "本地调整（测试）")
    add_day_override(world.office, D("2026-10-11"), True, "本地调休（测试）")
    after = notice_period(D("2026-09-30"), 5, "working")
    assert before.end == D("2026-10-12")
    assert after.days == dates("2026-09-30", "2026-10-08", "2026-10-10", "2026-10-11", "2026-10-12")


@pytest.mark.django_db
def test_entering_a_year_in_the_table_silences_its_warning(world):
    assert notice_period(D("2101-01-03"), 1, "working").warnings
    add_day_override(world.office, D("2101-01-01"), False, "元旦")
    assert notice_period(D("2101-01-03"), 1, "working").warnings == []


@pytest.mark.parametrize(
    ("start", "days", "kind"),
    [("2026-01-05", 0, "working"), ("2026-01-05", 61, "natural"), ("2026-01-05", 5, "lunar"), ("9999-12-30", 5, "natural")],
)
def test_bad_arguments_are_refused(start, days, kind):
    with pytest.raises(ValueError):
        notice_period(D(start), days, kind)


def test_override_actions_are_audited_and_limited_to_town_managers(world):
    day = add_day_override(world.office, D("2101-10-01"), False, "国庆节")
    assert AuditLog.objects.filter(action="workday.create", target_id=str(day.pk), town=world.town).exists()
    with pytest.raises(ActionError):
        add_day_override(world.admin, D("2101-10-01"), True, "重复")
    with pytest.raises(ActionError):
        add_day_override(world.admin, D("2101-10-02"), False, "  ")
    for user in (world.secretary, world.approver, world.county_user, world.inspector):
        with pytest.raises(PermissionDenied):
            add_day_override(user, D("2101-10-03"), False, "国庆节")
        with pytest.raises(PermissionDenied):
            delete_day_override(user, day)
    delete_day_override(world.admin, day)
    assert not DayOverride.objects.filter(pk=day.pk).exists()
    assert AuditLog.objects.filter(action="workday.delete", target_id=str(day.pk)).exists()


def test_calendar_page_lists_the_year_and_lets_the_office_add(world, login):
    client = login(world.office)
    response = client.post("/calendar/", {"date": "2101-05-01", "name": "劳动节"})
    assert response.status_code == 302
    page = client.get("/calendar/?year=2101").content.decode()
    assert "劳动节" in page
    page = client.get("/calendar/?year=2026&start=2026-09-30&days=5&kind=working").content.decode()
    assert "2026年10月12日" in page
    assert "国务院办公厅通知" in page  # the library's arrangement is listed


def test_calendar_page_refuses_bad_input_without_change(world, login):
    client = login(world.office)
    response = client.post("/calendar/", {"date": "2026-13-45", "name": "x"})
    assert response.status_code == 200
    assert DayOverride.objects.count() == 0
    assert client.get("/calendar/?year=abc&start=xx&days=999").status_code == 200
    page = client.get("/calendar/?start=9999-12-30&days=5&kind=natural")
    assert page.status_code == 200 and "请填写 1950—2199 年间的日期" in page.content.decode()


def test_calendar_page_is_read_only_for_other_roles(world, login):
    client = login(world.secretary)
    assert client.get("/calendar/").status_code == 200
    assert client.post("/calendar/", {"date": "2101-05-01", "name": "劳动节"}).status_code == 403
    assert DayOverride.objects.count() == 0


def test_notice_period_api(world, api):
    response = api(world.secretary).get("notice-period", start="2026-09-30", days=5, kind="working")
    assert response.status_code == 200
    body = response.json()
    assert body["end"] == "2026-10-12"
    assert body["days"] == ["2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12"]
    assert body["warnings"] == []
    assert api(world.secretary).get("notice-period", start="2026-09-30", days=0).status_code == 400
    assert api(world.secretary).get("notice-period", start="2026-02-30").status_code == 400
    assert api(world.secretary).get("notice-period", start="2026-09-30", kind="lunar").status_code == 400
    assert api(world.secretary).get("notice-period", start="9999-12-30", days=5, kind="natural").status_code == 400
    assert api(None).get("notice-period", start="2026-09-30").status_code == 401
