"""The 公示 (SPEC §3 step 4, §5): posting a notice, the public page, objections and their conclusion."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client

from apps.audit.models import AuditLog
from apps.core import clock
from apps.core.actions import ActionError, Conflict
from apps.nominations.choices import NominationStatus
from apps.notices import actions
from apps.notices.models import Notice, Objection
from apps.notices.views import public_entries
from apps.workdays.calendar import notice_period

from . import factories as f
from .build_notices import listed_nomination


@pytest.fixture(autouse=True)
def _clear_cache(db):
    """The rate limit lives in the database cache (rolled back with each test); start from empty."""
    cache.clear()


@pytest.fixture
def listed(world):
    a = listed_nomination(world.campaign, world.member, post="村党支部书记", deeds="带领群众发展茶叶产业。")
    b = listed_nomination(world.campaign, world.member2, post="村民小组长", deeds="调解邻里纠纷三十余起。")
    return [a, b]


def running_notice(world):
    return actions.create_notice(world.office, world.campaign, clock.today())


def ended_notice(world):
    return actions.create_notice(world.office, world.campaign, clock.today() - dt.timedelta(days=30))


# --- posting a notice --------------------------------------------------------------------------------------------


def test_create_notice_posts_the_listed_nominations_with_the_computed_period(world, listed):
    draft = listed_nomination(world.campaign, world.organ_member, status=NominationStatus.APPROVED)
    start = dt.date(clock.today().year, 9, 30) if clock.today().year == 2026 else clock.today()
    notice = actions.create_notice(world.office, world.campaign, start)
    expected = notice_period(start, world.campaign.notice_days, world.campaign.notice_day_kind)
    assert (notice.start, notice.end) == (expected.start, expected.end)
    if clock.today().year == 2026:
        assert notice.end == dt.date(2026, 10, 12)
    assert set(notice.nominations.all()) == set(listed)
    assert draft not in notice.nominations.all()
    assert len(notice.public_id) >= 20
    assert AuditLog.objects.filter(action="notice.create", target_id=str(notice.pk), town=world.town).exists()


def test_public_ids_are_random(world, listed):
    first = running_notice(world)
    listed_nomination(world.campaign, world.organ_member)
    second = running_notice(world)
    assert first.public_id != second.public_id
    assert set(second.nominations.all()) == {n for n in second.nominations.all() if n.member == world.organ_member}


def test_natural_days_and_warnings_are_stored(world, listed):
    world.campaign.notice_day_kind = "natural"
    world.campaign.notice_days = 7
    world.campaign.save()
    notice = running_notice(world)
    assert notice.end == clock.today() + dt.timedelta(days=6)
    assert notice.day_kind == "natural" and notice.warnings == []


def test_no_listed_nomination_blocks_the_notice(world):
    with pytest.raises(ActionError) as exc:
        running_notice(world)
    assert "参评名单" in exc.value.blockers[0]
    assert not Notice.objects.exists()


def test_a_posted_list_is_not_posted_twice(world, listed):
    running_notice(world)
    with pytest.raises(ActionError) as exc:
        running_notice(world)
    assert "均已公示" in exc.value.blockers[0]


def test_a_start_in_the_past_is_accepted_but_not_before_the_campaign_year_or_far_ahead(world, listed):
    """A notice already on the board is recorded after the fact, even before the list was entered here."""
    for start in (dt.date(world.campaign.year - 1, 12, 31), clock.today() + dt.timedelta(days=91)):
        with pytest.raises(ActionError):
            actions.create_notice(world.office, world.campaign, start)
    notice = actions.create_notice(world.office, world.campaign, dt.date(world.campaign.year, 1, 1))
    assert notice.start == dt.date(world.campaign.year, 1, 1) and notice.has_ended() is (notice.end < clock.today())


@pytest.mark.parametrize("role", ["secretary", "approver", "county_user", "inspector", "other_office"])
def test_only_the_town_office_posts_a_notice(world, listed, role):
    with pytest.raises(PermissionDenied):
        actions.create_notice(getattr(world, role), world.campaign, clock.today())
    assert not Notice.objects.exists()


# --- the public page ---------------------------------------------------------------------------------------------


def test_public_page_shows_the_entries_without_personal_data(world, listed, client):
    notice = running_notice(world)
    response = client.get(notice.public_path())
    assert response.status_code == 200
    page = response.content.decode()
    for n in listed:
        assert n.member.name in page and n.org.name in page and n.candidate.post in page and n.candidate.deeds in page
        member = n.member
        for secret in (member.id_number, member.masked_id, member.phone, member.id_number[6:14], member.birth_date.isoformat()):
            assert secret not in page
        assert f"{member.birth_date:%Y年%-m月%-d日}" not in page
    assert "距公示结束还有" in page
    assert 'name="viewport"' in page
    # No asset from the internet (the page must work on an intranet).
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script>" not in page and 'style="' not in page


def test_public_page_of_an_unknown_notice_is_404(db, client):
    assert client.get("/public/notices/no-such-notice/").status_code == 404


def test_public_api_never_returns_personal_data(world, listed, api):
    notice = running_notice(world)
    response = api(None).get(f"public/notices/{notice.public_id}")
    assert response.status_code == 200
    body = response.json()
    assert {e["name"] for e in body["entries"]} == {"张三", "王五"}
    assert set(body["entries"][0]) == {"nomination_id", "name", "branch", "post", "deeds", "withdrawn"}
    text = response.content.decode()
    for n in listed:
        assert n.member.id_number not in text and n.member.phone not in text and n.member.birth_date.isoformat() not in text


# --- objections from the public ---------------------------------------------------------------------------------


def test_objection_during_the_period_returns_a_tracking_code_stored_as_a_digest(world, listed, client):
    notice = running_notice(world)
    response = client.post(notice.objection_path(), {"text": "该同志事迹不实。", "nomination": listed[0].pk})
    assert response.status_code == 200
    code = re.search(r'class="tracking-code">([A-Z0-9-]+)<', response.content.decode()).group(1)
    objection = Objection.objects.get()
    assert objection.nomination == listed[0] and objection.name == "" and objection.channel == "online"
    assert code not in str(Objection.objects.values_list().get())
    assert objection.tracking_digest == actions.tracking_digest(code)
    row = AuditLog.objects.get(action="objection.file")
    assert row.actor is None and row.actor_label == "公众（未登录）" and row.ip is None and row.town == world.town
    # The tracking page shows the status for the code (lower case and without dashes too).
    page = client.post("/public/objections/", {"code": code.lower().replace("-", "")}).content.decode()
    assert "调查核实中" in page
    page = client.post("/public/objections/", {"code": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
    assert "未找到" in page


def test_named_objection_keeps_the_name(world, listed, api):
    notice = running_notice(world)
    r = api(None).post(f"public/notices/{notice.public_id}/objections", {"text": "反映情况", "name": "赵某", "contact": "13900000000"})
    assert r.status_code == 201
    objection = Objection.objects.get()
    assert (objection.name, objection.contact, objection.nomination) == ("赵某", "13900000000", None)
    status = api(None).get(f"public/objections/{r.json()['tracking_code']}")
    assert status.status_code == 200 and status.json() == {"status": "open", "outcome": "", "conclusion": ""}
    assert api(None).get("public/objections/NOPE-NOPE").status_code == 404


@pytest.mark.parametrize("shift", [-30, 30])
def test_objection_outside_the_period_is_refused(world, listed, client, api, shift):
    notice = (
        actions.create_notice(world.office, world.campaign, clock.today() + dt.timedelta(days=shift)) if shift > 0 else ended_notice(world)
    )
    response = client.post(notice.objection_path(), {"text": "迟到的反映"})
    assert response.status_code == 422
    assert "不能在线提交异议" in response.content.decode()
    r = api(None).post(f"public/notices/{notice.public_id}/objections", {"text": "迟到的反映"})
    assert r.status_code == 422 and "公示期" in r.json()["blockers"][0]
    assert not Objection.objects.exists()


def test_objections_are_rate_limited_per_client(world, listed, api, client):
    notice = running_notice(world)
    path = f"public/notices/{notice.public_id}/objections"
    codes = [api(None).post(path, {"text": f"第{i}条"}).status_code for i in range(5)]
    assert codes == [201] * 5
    r = api(None).post(path, {"text": "第6条"})
    assert r.status_code == 429 and "频繁" in r.json()["detail"]
    page = client.post(notice.objection_path(), {"text": "第7条"})
    assert page.status_code == 422 and "频繁" in page.content.decode()
    assert Objection.objects.count() == 5
    # Another client is not affected.
    other = api(None)
    other.client.defaults["REMOTE_ADDR"] = "10.0.0.9"
    assert other.post(path, {"text": "另一位"}).status_code == 201


def test_bad_public_input_is_a_clear_message_and_no_change(world, listed, api, client):
    notice = running_notice(world)
    path = f"public/notices/{notice.public_id}/objections"
    assert api(None).post(path, {"text": "   "}).status_code == 422
    assert api(None).post(path, {"text": "x" * 2001}).status_code == 400
    assert api(None).post(path, {"text": "ok", "nomination_id": 999999}).status_code == 422
    assert api(None).post(path, {"name": "缺内容"}).status_code == 400
    assert client.post(notice.objection_path(), {"text": "", "nomination": "abc"}).status_code == 422
    assert not Objection.objects.exists()


# --- the town office: record, investigate, conclude ------------------------------------------------------------


def test_record_objection_received_by_letter_within_the_period(world, listed):
    notice = ended_notice(world)
    objection = actions.record_objection(world.office, notice, text="来信反映", received_on=notice.start, channel="letter")
    assert objection.channel == "letter" and objection.recorded_by == world.office
    assert AuditLog.objects.filter(action="objection.record", target_id=str(objection.pk)).exists()
    with pytest.raises(ActionError) as exc:
        actions.record_objection(world.office, notice, text="逾期来电", received_on=notice.end + dt.timedelta(days=1), channel="phone")
    assert "公示期内" in exc.value.messages[0]
    with pytest.raises(PermissionDenied):
        actions.record_objection(world.secretary, notice, text="x", received_on=notice.start)
    assert Objection.objects.count() == 1


def test_upheld_objection_withdraws_the_nomination_dismissed_keeps_it(world, listed):
    notice = ended_notice(world)
    one = actions.record_objection(world.office, notice, text="甲", received_on=notice.start, nomination_id=listed[0].pk)
    two = actions.record_objection(world.office, notice, text="乙", received_on=notice.start, nomination_id=listed[1].pk)
    actions.add_investigation_note(world.office, one, "走访群众五人，情况属实。")
    actions.conclude_objection(world.office, one, "upheld", "经核实，反映属实。")
    actions.conclude_objection(world.office, two, "dismissed", "经核实，反映不属实。")
    listed[0].refresh_from_db()
    listed[1].refresh_from_db()
    assert listed[0].status == NominationStatus.WITHDRAWN and "反映属实" in listed[0].withdrawn_reason
    assert listed[1].status == NominationStatus.LISTED
    assert AuditLog.objects.filter(action="notice.withdraw_nomination", target_id=str(listed[0].pk)).count() == 1
    assert AuditLog.objects.filter(action="objection.conclude").count() == 2
    assert AuditLog.objects.filter(action="objection.note").count() == 1
    with pytest.raises(Conflict):
        actions.conclude_objection(world.office, two, "upheld", "改判")
    with pytest.raises(Conflict):
        actions.add_investigation_note(world.office, two, "补充")
    # The public notice keeps the withdrawn person, marked as withdrawn; the other stays as it was.
    shown = {e["name"]: e["withdrawn"] for e in public_entries(notice)}
    assert shown == {listed[0].member.name: True, listed[1].member.name: False}
    page = Client().get(notice.public_path()).content.decode()
    assert page.count("已撤销推荐") == 1


def test_upheld_without_a_nomination_needs_one(world, listed):
    notice = ended_notice(world)
    objection = actions.record_objection(world.office, notice, text="笼统反映", received_on=notice.start)
    with pytest.raises(ActionError) as exc:
        actions.conclude_objection(world.office, objection, "upheld", "属实")
    assert "指明所涉推荐对象" in exc.value.blockers[0]
    objection.refresh_from_db()
    assert objection.status == "open"
    actions.conclude_objection(world.office, objection, "upheld", "属实", nomination_id=listed[1].pk)
    listed[1].refresh_from_db()
    assert listed[1].status == NominationStatus.WITHDRAWN


@pytest.mark.parametrize("role", ["secretary", "approver", "county_user"])
def test_only_the_town_office_concludes(world, listed, role):
    notice = ended_notice(world)
    objection = actions.record_objection(world.office, notice, text="甲", received_on=notice.start)
    with pytest.raises(PermissionDenied):
        actions.conclude_objection(getattr(world, role), objection, "dismissed", "不属实")
    with pytest.raises(PermissionDenied):
        actions.add_investigation_note(getattr(world, role), objection, "记录")


def test_office_pages_walk_record_note_conclude(world, listed, login):
    notice = ended_notice(world)
    client = login(world.office)
    page = client.get(f"/campaigns/{world.campaign.pk}/notices/").content.decode()
    assert notice.public_path() in page
    response = client.post(
        f"/campaigns/{world.campaign.pk}/objections/",
        {"notice": notice.pk, "channel": "visit", "received_on": notice.start.isoformat(), "nomination": listed[0].pk, "text": "来访反映"},
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert client.post(f"/objections/{objection.pk}/note/", {"text": "已谈话核实"}).status_code == 302
    bad = client.post(f"/objections/{objection.pk}/conclude/", {"outcome": "upheld", "conclusion": ""})
    assert bad.status_code == 200 and "请填写核查结论" in bad.content.decode()
    assert client.post(f"/objections/{objection.pk}/conclude/", {"outcome": "dismissed", "conclusion": "不属实"}).status_code == 302
    objection.refresh_from_db()
    assert objection.outcome == "dismissed"
    page = client.get(f"/objections/{objection.pk}/").content.decode()
    assert "已谈话核实" in page and "不属实" in page
    out_of_period = client.post(
        f"/campaigns/{world.campaign.pk}/objections/",
        {"notice": notice.pk, "channel": "letter", "received_on": clock.today().isoformat(), "text": "迟到来信"},
    )
    assert out_of_period.status_code == 200 and "公示期内" in out_of_period.content.decode()
    assert Objection.objects.count() == 1


def test_office_posts_a_notice_from_the_page(world, listed, login):
    client = login(world.office)
    response = client.post(f"/campaigns/{world.campaign.pk}/notices/", {"start": clock.today().isoformat()})
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert response["Location"] == notice.get_absolute_url()
    page = client.get(notice.get_absolute_url()).content.decode()
    assert notice.public_id in page


def test_home_task_of_the_branch_secretary(world, listed, login):
    running_notice(world)
    assert "本支部推荐对象正在公示" in login(world.secretary).get("/").content.decode()


def test_home_tasks_of_the_office(world, listed, login):
    client = login(world.office)
    assert "发布示范岗公示（2 人待公示）" in client.get("/").content.decode()
    notice = running_notice(world)
    actions.file_objection(notice, "反映")
    page = client.get("/").content.decode()
    assert "公示进行中" in page and "办结公示异议（1 件未办结）" in page


# --- the API -----------------------------------------------------------------------------------------------------


def test_api_walks_notice_objection_conclusion(world, listed, api):
    office = api(world.office)
    r = office.post(f"campaigns/{world.campaign.pk}/notices", {"start": (clock.today() - dt.timedelta(days=30)).isoformat()})
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) >= {"id", "public_id", "public_url", "start", "end", "nomination_ids", "warnings"}
    assert body["public_url"].endswith(f"/public/notices/{body['public_id']}/")
    assert sorted(body["nomination_ids"]) == sorted(n.pk for n in listed)
    assert office.post(f"campaigns/{world.campaign.pk}/notices", {"start": clock.today().isoformat()}).status_code == 422
    r = office.post(
        f"campaigns/{world.campaign.pk}/objections",
        {"notice_id": body["id"], "text": "来电反映", "received_on": body["start"], "nomination_id": listed[0].pk, "channel": "phone"},
    )
    assert r.status_code == 201, r.content
    objection_id = r.json()["id"]
    late = office.post(
        f"campaigns/{world.campaign.pk}/objections", {"notice_id": body["id"], "text": "x", "received_on": clock.today().isoformat()}
    )
    assert late.status_code == 422
    listing = office.get(f"campaigns/{world.campaign.pk}/objections").json()
    assert [(o["id"], o["status"], o["notice_id"], o["nomination_id"]) for o in listing] == [
        (objection_id, "open", body["id"], listed[0].pk)
    ]
    r = office.post(f"objections/{objection_id}/conclude", {"outcome": "upheld", "conclusion": "属实"})
    assert r.status_code == 200 and r.json()["status"] == "concluded" and r.json()["outcome"] == "upheld"
    listed[0].refresh_from_db()
    assert listed[0].status == "withdrawn"
    again = office.post(f"objections/{objection_id}/conclude", {"outcome": "dismissed", "conclusion": "改"})
    assert again.status_code == 409
    assert office.post(f"objections/{objection_id}/conclude", {"outcome": "maybe", "conclusion": "x"}).status_code == 400


def test_api_refusals_by_role_and_scope(world, listed, api):
    notice = ended_notice(world)
    objection = actions.record_objection(world.office, notice, text="甲", received_on=notice.start)
    assert api(world.secretary).get(f"campaigns/{world.campaign.pk}/objections").status_code == 403
    assert api(world.other_office).get(f"campaigns/{world.campaign.pk}/objections").status_code == 404
    assert (
        api(world.other_office).post(f"objections/{objection.pk}/conclude", {"outcome": "dismissed", "conclusion": "x"}).status_code == 404
    )
    assert api(world.approver).post(f"objections/{objection.pk}/conclude", {"outcome": "dismissed", "conclusion": "x"}).status_code == 403
    assert (
        api(world.other_office)
        .post(
            f"campaigns/{world.other_campaign.pk}/objections",
            {"notice_id": notice.pk, "text": "x", "received_on": notice.start.isoformat()},
        )
        .status_code
        == 422
    )
    objection.refresh_from_db()
    assert objection.status == "open"


def test_factories_are_used(world):
    assert f.PASSWORD


def test_tracking_lookups_are_rate_limited_per_client(world, listed, api):
    """Guessing codes is slowed down: 30 lookups per client per hour, then 429."""
    _, code = actions.file_objection(running_notice(world), "反映")
    caller = api(None)
    assert all(caller.get(f"public/objections/GUES-S{i:03d}").status_code == 404 for i in range(29))
    assert caller.get(f"public/objections/{code}").status_code == 200
    limited = caller.get(f"public/objections/{code}")
    assert limited.status_code == 429 and "频繁" in limited.json()["detail"]
