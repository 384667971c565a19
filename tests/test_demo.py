"""`manage.py load_demo`: the invented town 青山镇, only in demo mode, only into an empty database."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from apps.accounts.models import User
from apps.campaigns.models import Campaign
from apps.core import clock
from apps.core.idcard import parse_id
from apps.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from apps.orgs.choices import Category, Grade, MemberStatus, OrgLevel
from apps.orgs.models import Appraisal, Member, Organization


def test_refuses_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="演示模式"):
        call_command("load_demo", stdout=StringIO())
    assert not Organization.objects.exists() and not User.objects.exists()


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_loads_a_believable_town(demo):
    assert "演示数据已载入" in demo
    town = Organization.objects.get(name="中共青山镇委员会", level=OrgLevel.TOWN)
    branches = Organization.objects.filter(path__startswith=town.path).basic()
    assert 22 <= branches.count() <= 28
    assert branches.villages().count() >= 15

    members = Member.objects.filter(branch__path__startswith=town.path)
    active = members.filter(status=MemberStatus.ACTIVE)
    assert 760 <= members.count() <= 840
    share = active.filter(category=Category.PROBATIONARY).count() / active.count()
    assert 0.05 <= share <= 0.11, share
    assert members.filter(status=MemberStatus.TRANSFERRED).exists()
    today = clock.today()
    in_sanction = [m for m in active.exclude(sanction_start=None) if m.in_sanction_period(today)]
    assert in_sanction

    campaign = Campaign.objects.get(town=town, year=today.year)
    grades = Counter(Appraisal.objects.filter(member__in=members, year=campaign.appraisal_year).values_list("grade", flat=True))
    assert grades[Grade.BASIC] > 0 and grades[Grade.UNQUALIFIED] > 0
    assert grades[Grade.QUALIFIED] > grades[Grade.EXCELLENT] > grades[Grade.BASIC] > grades[Grade.UNQUALIFIED]
    assert campaign.criteria.count() == 10


def test_every_id_number_is_valid_and_unique_among_active_members(demo):
    numbers = list(Member.objects.values_list("id_number", "birth_date", "gender", "status"))
    for number, birth, gender, _status in numbers:
        info = parse_id(number)
        assert (info.birth_date, info.gender) == (birth, gender), number
        assert number.startswith("369901")  # the invented region code: never a real person
    active = [n for n, _b, _g, status in numbers if status == MemberStatus.ACTIVE]
    assert len(active) == len(set(active))


def test_members_joined_after_their_18th_birthday(demo):
    for member in Member.objects.exclude(category=Category.PROBATIONARY).only("birth_date", "joined_on", "confirmed_on"):
        assert member.joined_on >= member.birth_date + dt.timedelta(days=18 * 365)
        assert member.confirmed_on > member.joined_on


def test_demo_accounts_log_in_with_their_roles(demo):
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.role == account.role
        client = Client()
        assert client.post("/accounts/login/", {"username": account.username, "password": DEMO_PASSWORD}).status_code == 302
        assert client.get("/").status_code == 200
    secretary = User.objects.get(username="secretary")
    seen = Member.objects.visible_to(secretary)
    assert seen.exists() and not seen.exclude(branch__path__startswith=secretary.organization.path).exists()


def test_a_second_run_keeps_the_data(demo, settings):
    before = (
        Organization.objects.count(),
        Member.objects.count(),
        User.objects.count(),
        Campaign.objects.count(),
        Appraisal.objects.count(),
    )
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "跳过" in out.getvalue()
    with pytest.raises(CommandError, match="已有数据"):
        call_command("load_demo", stdout=StringIO())
    after = (
        Organization.objects.count(),
        Member.objects.count(),
        User.objects.count(),
        Campaign.objects.count(),
        Appraisal.objects.count(),
    )
    assert after == before


def test_the_demo_campaign_is_in_progress_at_every_step(demo):
    """Each demo account finds work waiting: made by the same actions as the pages."""
    from apps.meetings.choices import MeetingStatus
    from apps.meetings.models import Meeting
    from apps.nominations.models import Nomination

    town = Organization.objects.get(short_name="青山镇党委")
    qingshan = Meeting.objects.get(org__name="青山村党委", campaign__town=town)
    assert qingshan.status == MeetingStatus.PREPARING and qingshan.quorate and qingshan.candidates.count() == qingshan.quota_value + 1
    stone = Nomination.objects.filter(org__name="石桥村党支部", campaign__town=town)
    assert stone.exists() and set(stone.values_list("status", flat=True)) == {"submitted"}
    assert Nomination.objects.filter(status="approved").values("org").distinct().count() == 2
    for meeting in Meeting.objects.exclude(pk=qingshan.pk):
        assert meeting.recommended_candidates().count() == meeting.quota_value


def test_the_neighbouring_town_has_a_running_public_notice(demo):
    """白云镇's 参评名单 is on public notice: the public pages have something to show, with one objection open."""
    from apps.audit.models import AuditLog
    from apps.notices.models import Notice

    notice = Notice.objects.get(campaign__town__short_name="白云镇党委")
    today = clock.today()
    assert notice.start <= today <= notice.end
    listed = list(notice.nominations.values_list("member__name", flat=True))
    assert listed and set(notice.nominations.values_list("status", flat=True)) == {"listed"}
    assert notice.objections.filter(concluded_at=None).count() == 1
    page = Client().get(f"/public/notices/{notice.public_id}/")
    assert page.status_code == 200 and all(name in page.content.decode() for name in listed)
    town_home = Client().get(f"/public/towns/{notice.campaign.town_id}/")
    assert town_home.status_code == 200 and f"/public/notices/{notice.public_id}/" in town_home.content.decode()
    office = User.objects.get(username="town_office2")
    assert office.may_approve and office.organization_id == notice.campaign.town_id
    # Submitted by the branches' secretaries (accounts the office created, audited), approved by the office.
    for nomination in notice.nominations.select_related("submitted_by"):
        assert nomination.submitted_by.is_branch_secretary and nomination.submitted_by.organization_id == nomination.org_id
        assert AuditLog.objects.filter(actor=office, target_id=str(nomination.submitted_by.pk), action="user.create").exists()
        assert set(nomination.reviews.values_list("decided_by", flat=True)) == {office.pk}


def test_the_login_page_links_the_towns_public_homes_in_demo_mode(demo):
    page = Client().get("/accounts/login/").content.decode()
    for town in Organization.objects.filter(level=OrgLevel.TOWN):
        assert f'href="/public/towns/{town.pk}/"' in page and town.short_name in page
