"""Reminders: who is told what, and running `send_reminders` twice notifies nobody twice."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import Role
from apps.core import clock
from apps.nominations import actions as nom_actions
from apps.nominations.models import Nomination
from apps.notices.models import Notice, Objection
from apps.oversight import actions
from apps.oversight.models import Notification, unread_count
from apps.oversight.reminders import send_reminders

from . import factories as f
from .build_nominations import campaign_with
from .build_oversight import every_state


def _titles(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


@pytest.fixture
def scene(world):
    branches = every_state(world)
    campaign_with(world.campaign, deadline=clock.today() + dt.timedelta(days=2))
    world.returned_secretary = f.user("sec_returned", Role.BRANCH_SECRETARY, branches["returned"])
    world.voted_secretary = f.user("sec_voted", Role.BRANCH_SECRETARY, branches["voted"])
    Objection.objects.create(notice=Notice.objects.get(), text="反映材料不实", received_on=clock.today())
    visit = actions.record_visit(
        world.office,
        world.campaign,
        world.village,
        {
            "date": clock.today() - dt.timedelta(days=5),
            "inspectors": "检查员甲",
            "findings": "记录不全",
            "items": [{"item": "补齐记录", "owner": "支书甲", "due_on": clock.today() - dt.timedelta(days=1)}],
        },
    )
    world.visit = visit
    return branches


def test_each_kind_reaches_its_people(world, scene):
    new = send_reminders(clock.today())
    assert new
    # 东岭村 has not submitted, the deadline is in 2 days, and its rectification item is late.
    assert sorted(_titles(world.secretary)) == ["deadline", "rectification"]  # no meeting yet: no step reminder
    assert _titles(world.secretary2) == ["deadline"]  # 南坑村 has not started either
    office = _titles(world.office)
    assert office.count("deadline") == 1 and office.count("objection") == 1
    town = Notification.objects.get(user=world.office, kind="deadline")
    assert "9 个支部尚未报送" in town.title  # the 7 steps before submission, 东岭村 and 南坑村
    assert world.village.name in town.body and scene["submitted"].name not in town.body
    assert sorted(_titles(world.returned_secretary)) == ["deadline", "returned"]  # must resubmit before the deadline
    # The approver decides the submitted ones (submitted by the office, so the approver may decide).
    waiting = Nomination.objects.filter(campaign=world.campaign, status="submitted")
    assert {n.org_id for n in waiting} == {scene["submitted"].pk, scene["returned"].pk}
    assert _titles(world.approver).count("review") == waiting.count()
    assert _titles(world.county_user) == [] and _titles(world.inspector) == []
    assert sorted(_titles(world.voted_secretary)) == ["deadline", "step"]
    step = Notification.objects.get(user=world.voted_secretary, kind="step")
    assert "下一步：召开支委会确定推荐对象" in step.body
    assert office.count("step") == 1  # 同意村's approved nominations wait for the 参评名单


def test_running_twice_notifies_nobody_twice(world, scene):
    first = send_reminders(clock.today())
    count = Notification.objects.count()
    assert count == len(first) > 0
    assert send_reminders(clock.today()) == []
    assert Notification.objects.count() == count
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == "新提醒 0 条。"
    assert Notification.objects.count() == count


def test_a_new_state_is_a_new_reminder(world, scene):
    send_reminders(clock.today())
    nomination = scene["returned"].nominations.get(status="returned")
    nomination.proposal.nominations.filter(status="returned").update(status="draft")
    nom_actions.submit_proposal(world.office, nomination.proposal)
    nomination.refresh_from_db()
    nom_actions.decide_nomination(world.approver, nomination, "return", "仍不具体")
    new = send_reminders(clock.today())
    assert [n.kind for n in new if n.user_id == world.returned_secretary.pk] == ["returned"]


def test_no_deadline_reminder_while_the_deadline_is_far(world):
    campaign_with(world.campaign, deadline=clock.today() + dt.timedelta(days=10))
    send_reminders(clock.today())
    assert not Notification.objects.filter(kind="deadline").exists()


def test_command_refuses_a_bad_date(world):
    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "2026-13-01")


def test_notification_centre_shows_own_and_marks_read(world, scene, login):
    send_reminders(clock.today())
    client = login(world.secretary)
    page = client.get("/notifications/").content.decode()
    assert "整改事项已逾期" in page and "收到公示异议" not in page
    assert "未读提醒" in client.get("/").content.decode()
    assert client.post("/notifications/").status_code == 302
    assert not Notification.objects.filter(user=world.secretary, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=world.office, read_at__isnull=True).exists()


def test_commendation_waits_for_the_approver_once_every_notice_ended(world, scene):
    send_reminders(clock.today())
    assert not Notification.objects.filter(user=world.approver, key__startswith="step-commend").exists()  # 公示 still running
    Notice.objects.update(start=clock.today() - dt.timedelta(days=9), end=clock.today() - dt.timedelta(days=1))
    send_reminders(clock.today())
    assert Notification.objects.filter(user=world.approver, key=f"step-commend:{world.campaign.pk}").count() == 1
    assert not Notification.objects.filter(user=world.secretary, key__startswith="step-commend").exists()


def test_the_unread_count_of_a_user_read_without_a_session_is_counted(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.accounts.models import User

    Notification.objects.create(user=world.office, kind="deadline", key="test:1", title="截止临近")
    Notification.objects.create(user=world.office, kind="deadline", key="test:2", title="截止临近", read_at=timezone.now())
    assert unread_count(User.objects.get(pk=world.office.pk)) == 1  # no value read with a session: counted
    client = login(world.office)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/notifications/")
    assert page.status_code == 200 and page.context["unread"] == 1
    counts = [q["sql"] for q in queries if "COUNT" in q["sql"] and "oversight_notification" in q["sql"]]
    assert len(counts) == 1 and "accounts_usersession" in counts[0], counts  # read with the session, not again
