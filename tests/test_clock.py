"""'Today' is Beijing's date (TIME_ZONE), whatever clock the host keeps.

Django hands TIME_ZONE to the C library when it starts, so on a host with the system's zone files the machine's
date and Beijing's agree. A host without them (a slim container) keeps UTC, and from 00:00 to 08:00 in Beijing the
machine's date is still yesterday. These tests stand on such a host at half past one in the morning, Beijing time,
and ask rules that speak of today (apps.core.clock is where they all read it; the lint refuses
`datetime.date.today()`)."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from apps.audit.memo import kept_key
from apps.core import clock
from apps.core.idcard import make_id, parse_id
from apps.core.tasks import Task
from apps.notices.models import Notice
from apps.orgs.rules import appraisal_year_errors, last_appraisal_year, member_rule_errors

AFTER_MIDNIGHT = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)  # 2026-12-02 01:30 in Beijing
BEIJING_DAY = dt.date(2026, 12, 2)
HOST_DAY = dt.date(2026, 12, 1)


@pytest.fixture
def utc_host(time_machine):
    """The C library keeps UTC (as without zone files), and it is 01:30 in Beijing, 17:30 the day before in UTC."""

    kept = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    time_machine.move_to(AFTER_MIDNIGHT, tick=False)
    assert dt.date.today() == HOST_DAY, "the host's date should lag Beijing's here"  # noqa: DTZ011
    try:
        yield time_machine
    finally:
        if kept is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = kept
        time.tzset()


def test_today_is_beijings_date(utc_host):
    assert clock.today() == BEIJING_DAY


def test_a_notice_ending_on_the_hosts_date_has_ended_in_beijing(utc_host):
    notice = Notice(start=HOST_DAY - dt.timedelta(days=6), end=HOST_DAY)
    assert notice.has_ended() and not notice.is_running()
    assert notice.phase() == "ended" and notice.days_left() == 0
    starting = Notice(start=BEIJING_DAY, end=BEIJING_DAY + dt.timedelta(days=6))
    assert starting.is_running() and starting.days_left() == 7


def test_a_task_due_on_the_hosts_date_is_overdue(utc_host):
    assert Task(title="t", due=HOST_DAY).overdue
    assert Task(title="t", due=BEIJING_DAY).days_left == 0


def test_a_person_born_or_joined_today_in_beijing_is_accepted(db, utc_host):
    assert parse_id(make_id("369901", BEIJING_DAY, 1)).birth_date == BEIJING_DAY
    with pytest.raises(Exception, match="出生日期不合理"):
        parse_id(make_id("369901", BEIJING_DAY + dt.timedelta(days=1), 1))
    data = {"id_number": make_id("369901", dt.date(1980, 5, 1), 7), "joined_on": BEIJING_DAY, "category": "probationary"}
    assert "joined_on" not in member_rule_errors(data, check_clash=False)
    data["joined_on"] = BEIJING_DAY + dt.timedelta(days=1)
    assert member_rule_errors(data, check_clash=False)["joined_on"] == ["入党日期不能晚于今天。"]


def test_the_new_years_appraisals_open_at_beijings_midnight(utc_host):
    utc_host.move_to(dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC), tick=False)  # 2027-01-01 00:30 in Beijing
    assert last_appraisal_year() == 2027 and appraisal_year_errors(2027) == []


def test_kept_values_turn_over_at_beijings_midnight(db, utc_host):
    utc_host.move_to(dt.datetime(2026, 12, 1, 15, 59, tzinfo=dt.UTC), tick=False)  # 23:59 in Beijing
    before = kept_key("countdown", None)
    utc_host.move_to(dt.datetime(2026, 12, 1, 16, 1, tzinfo=dt.UTC), tick=False)  # 00:01, the next day
    after = kept_key("countdown", None)
    assert after != before
    utc_host.move_to(dt.datetime(2026, 12, 1, 23, 59, tzinfo=dt.UTC), tick=False)  # 07:59, still 2 December
    assert kept_key("countdown", None) == after
