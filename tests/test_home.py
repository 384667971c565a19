"""The home page: what each role should do next, with links that work."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest

from apps.campaigns.models import Campaign
from apps.core import clock
from apps.orgs.choices import Grade
from apps.orgs.models import Appraisal, Member

from . import factories as f

TASK_LINK = re.compile(r'<article class="task[^"]*">\s*<h2><a href="([^"]+)">([^<]+)</a>')


def tasks(response) -> dict[str, str]:
    """Task title → link, as shown on the page."""
    return {htmllib.unescape(title): htmllib.unescape(url) for url, title in TASK_LINK.findall(response.content.decode())}


def assert_links_work(client, links):
    for url in links:
        assert client.get(url).status_code == 200, url


def test_town_office_sees_the_deadline_and_the_missing_appraisals(world, login):
    Appraisal.objects.create(member=world.member, year=world.campaign.appraisal_year, grade=Grade.QUALIFIED)
    deadline = clock.today() + dt.timedelta(days=10)
    Campaign.objects.filter(pk=world.campaign.pk).update(deadline=deadline)
    client = login(world.office)
    response = client.get("/")
    shown = tasks(response)
    assert f"示范岗申报截止：{deadline:%Y年%m月%d日}（剩 10 天）" in shown
    assert "申报表纸质版（盖公章）报至镇党建办，联系人 测试联系人，电话 0000-0000000" in response.content.decode()
    # 李四, 王五, 赵六 are active without a grade; 孙八 is transferred out; 钱七 is in the other town.
    title = f"录入 3 名党员的 {world.campaign.appraisal_year} 年度民主评议结果"
    assert title in shown
    listed = client.get(shown[title])
    assert listed.status_code == 200
    assert set(Member.objects.filter(pk__in=listed.context["page"]).values_list("name", flat=True)) == {"李四", "王五", "赵六"}
    assert "确定示范村候选对象" in shown
    assert "村党组织 2 个 × 20% = 0.4，不超过 → 0 个" in response.content.decode()
    assert_links_work(client, shown.values())


def test_branch_secretary_sees_its_quota_with_the_arithmetic(world, login):
    for i in range(11):  # + 张三 = 12 formal members
        f.member(world.village, f"党员乙{i}")
    client = login(world.secretary)
    response = client.get("/")
    shown = tasks(response)
    assert "本支部示范岗名额：1 人" in shown
    assert "正式党员 12 人 × 10% = 1.2，不超过 → 1 人" in response.content.decode()
    title = f"录入 13 名党员的 {world.campaign.appraisal_year} 年度民主评议结果"  # 12 formal + 李四
    assert title in shown
    sheet = client.get(shown[title])
    assert sheet.status_code == 200 and "党员乙0" in sheet.content.decode()
    assert not any("示范村" in t for t in shown)  # the town's business, not the branch's
    assert_links_work(client, shown.values())


def test_secretary_of_a_small_branch_with_at_least_one(world, login):
    Campaign.objects.filter(pk=world.campaign.pk).update(rounding="at_least_one")
    response = login(world.secretary2).get("/")
    assert "本支部示范岗名额：1 人" in tasks(response)
    assert "正式党员 1 人 × 10% = 0.1，不超过 → 0 人；按“每支部至少 1 名” → 1 人" in response.content.decode()


def test_county_reviewer_gets_the_overview(world, login):
    client = login(world.county_user)
    response = client.get("/")
    shown = tasks(response)
    assert shown == {"查看各镇示范行动进展": "/campaigns/"}
    html = response.content.decode()
    assert "中共东岭镇委员会" in html and "中共西岭镇委员会" in html
    campaign = world.campaign
    row = (
        f'<tr><td><a href="/campaigns/{campaign.pk}/">{world.town.name}</a></td><td>{campaign.get_status_display()}</td>\n'
        f"<td>10%</td><td>20%</td><td>{campaign.deadline:%Y-%m-%d}</td></tr>"
    )
    assert row in html
    overview = client.get("/campaigns/")
    assert {c.town for c in overview.context["campaigns"]} == {world.town, world.other_town}


def test_inspector_and_approver_see_their_own_next_steps(world, login):
    assert "等待镇党委确定示范村候选对象" in tasks(login(world.inspector).get("/"))
    shown = tasks(login(world.approver).get("/"))
    assert any(t.startswith("示范岗申报截止") for t in shown)
    assert not any(t.startswith("录入") for t in shown)  # the approver does not keep the roster


def test_without_a_campaign_the_office_is_asked_to_create_one(world, login):
    Campaign.objects.filter(town=world.town).delete()
    client = login(world.office)
    shown = tasks(client.get("/"))
    assert shown == {"创建本年度“共产党员示范行动”": "/campaigns/new/"}
    assert client.get("/campaigns/new/").status_code == 200
    assert client.get("/campaign/")["Location"] == "/campaigns/new/"


@pytest.mark.parametrize("role", ["secretary", "approver", "inspector"])
def test_without_a_campaign_other_roles_just_wait(world, login, role):
    Campaign.objects.filter(town=world.town).delete()
    client = login(getattr(world, role))
    response = client.get("/")
    assert response.status_code == 200
    assert "创建本年度" not in response.content.decode()
    assert client.get("/campaign/").status_code == 404


def test_a_passed_deadline_is_marked_overdue(world, login):
    Campaign.objects.filter(pk=world.campaign.pk).update(deadline=clock.today() - dt.timedelta(days=3))
    html = login(world.office).get("/").content.decode()
    assert "（已过 3 天）" in html
    assert "已逾期" in html


def test_unfilled_blanks_are_listed_first(world, login):
    Campaign.objects.filter(pk=world.campaign.pk).update(office_contact="", office_phone="")
    client = login(world.office)
    response = client.get("/")
    shown = list(tasks(response))
    assert shown[0] == "完善实施方案的空白项"
    assert "尚未填写：联系人、联系电话" in response.content.decode()
    assert client.get(tasks(response)["完善实施方案的空白项"]).status_code == 200


# --- the task list kept in the shared cache under the audit chain's head (apps/core/tasks.py) ---------------


def test_an_audited_change_shows_on_the_very_next_home_page(world, login):
    from apps.orgs import actions as org_actions

    Appraisal.objects.create(member=world.member, year=world.campaign.appraisal_year, grade=Grade.QUALIFIED)
    client = login(world.office)
    year = world.campaign.appraisal_year
    assert f"录入 3 名党员的 {year} 年度民主评议结果" in tasks(client.get("/"))
    org_actions.record_appraisals(world.office, year, {world.probationary: Grade.QUALIFIED})  # audited
    shown = tasks(client.get("/"))
    assert f"录入 2 名党员的 {year} 年度民主评议结果" in shown
    assert f"录入 3 名党员的 {year} 年度民主评议结果" not in shown


def test_without_a_change_the_providers_are_not_asked_again(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.office)
    with CaptureQueriesContext(connection) as first:
        shown = tasks(client.get("/"))
    with CaptureQueriesContext(connection) as second:
        again = tasks(client.get("/"))
    assert again == shown and shown
    assert len(second) < len(first) - 5, (len(first), len(second))


def test_each_user_gets_their_own_tasks_under_the_same_audit_head(world, login):
    year = world.campaign.appraisal_year
    assert any(t.startswith("录入") for t in tasks(login(world.office).get("/")))
    shown = tasks(login(world.approver).get("/"))  # no audited change in between
    assert not any(t.startswith("录入") for t in shown)
    assert f"录入 3 名党员的 {year} 年度民主评议结果" not in shown


def test_a_reminder_shows_at_once_though_reminders_write_no_audit_row(world, login):
    from apps.oversight.models import Notification

    client = login(world.office)
    assert not any("未读提醒" in t for t in tasks(client.get("/")))
    Notification.objects.create(user=world.office, kind="deadline", key="test:1", title="截止临近")
    assert "1 条未读提醒" in tasks(client.get("/"))


def test_the_unread_reminders_are_read_with_the_session(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.oversight.models import Notification

    client = login(world.office)
    Notification.objects.create(user=world.office, kind="deadline", key="test:1", title="截止临近")
    client.get("/")  # the other tasks kept
    with CaptureQueriesContext(connection) as queries:
        assert "1 条未读提醒" in tasks(client.get("/"))
    reads = [q["sql"] for q in queries if "oversight_notification" in q["sql"]]
    assert len(reads) == 1 and "accounts_usersession" in reads[0], reads  # one query: the session's
    assert len(queries) == 1, [q["sql"][:80] for q in queries]  # the session, the kept tasks read with it (audit/ahead.py)
