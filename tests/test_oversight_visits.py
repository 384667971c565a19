"""Supervision visits (督促检查) and rectification items (整改): who records and closes, the rules, the audit
rows, and the open items on the progress board."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditLog
from apps.core import clock
from apps.core.actions import ActionError, Conflict
from apps.oversight import actions
from apps.oversight.models import Rectification, SupervisionVisit
from apps.oversight.progress import load_rows, summary


def visit_data(**over):
    data = {
        "date": clock.today() - dt.timedelta(days=2),
        "inspectors": "检查员甲、检查员乙",
        "findings": "会议记录不完整。",
        "items": [
            {"item": "补齐党员大会记录", "owner": "支书甲", "due_on": clock.today() + dt.timedelta(days=5)},
            {"item": "完善公示照片", "owner": "委员乙", "due_on": clock.today() - dt.timedelta(days=1)},
        ],
    }
    data.update(over)
    return data


def test_office_records_a_visit_with_items(world):
    visit = actions.record_visit(world.office, world.campaign, world.village, visit_data())
    assert visit.items.count() == 2
    assert AuditLog.objects.filter(action="visit.create", target_id=visit.pk).count() == 1
    row = next(r for r in load_rows(world.office, [world.campaign]) if r.org.pk == world.village.pk)
    assert row.facts.open_rectifications == 2 and row.facts.overdue_rectifications == 1
    assert summary(load_rows(world.office, [world.campaign]))["open_rectifications"] == 2


@pytest.mark.parametrize(
    ("over", "says"),
    [
        ({"date": clock.today() + dt.timedelta(days=1)}, "不能晚于今天"),
        ({"findings": "  "}, "发现的问题"),
        ({"inspectors": ""}, "检查人员"),
        ({"items": [{"item": "补记录", "owner": "甲", "due_on": clock.today() - dt.timedelta(days=9)}]}, "不能早于检查日期"),
        ({"items": [{"item": "", "owner": "", "due_on": None}]}, "第 1 项整改事项：请填写整改事项"),
        ({"findings": "问题\x00"}, "控制字符"),
    ],
)
def test_bad_visits_are_refused_and_change_nothing(world, over, says):
    with pytest.raises(ActionError) as exc:
        actions.record_visit(world.office, world.campaign, world.village, visit_data(**over))
    assert any(says in b for b in exc.value.blockers), exc.value.blockers
    assert not SupervisionVisit.objects.exists() and not Rectification.objects.exists()


def test_a_branch_outside_the_town_is_refused(world):
    with pytest.raises(ActionError) as exc:
        actions.record_visit(world.office, world.campaign, world.far_village, visit_data())
    assert "请选择检查的党组织。" in exc.value.blockers
    with pytest.raises(ActionError) as exc:
        actions.record_visit(world.office, world.campaign, world.town, visit_data())
    assert any("不是" in b for b in exc.value.blockers)


@pytest.mark.parametrize("who", ["secretary", "approver", "county_user", "inspector"])
def test_only_the_town_office_records(world, who):
    with pytest.raises(PermissionDenied):
        actions.record_visit(getattr(world, who), world.campaign, world.village, visit_data())


def test_secretary_closes_its_own_item_once(world):
    visit = actions.record_visit(world.office, world.campaign, world.village, visit_data())
    item = visit.items.first()
    with pytest.raises(ActionError) as exc:
        actions.close_rectification(world.secretary, item, "", clock.today())
    assert "请填写整改情况（销号依据）。" in exc.value.blockers
    with pytest.raises(ActionError):
        actions.close_rectification(world.secretary, item, "已补齐", visit.date - dt.timedelta(days=1))
    with pytest.raises(Rectification.DoesNotExist):
        actions.close_rectification(world.secretary2, item, "已补齐", clock.today())
    with pytest.raises(PermissionDenied):
        actions.close_rectification(world.approver, item, "已补齐", clock.today())
    closed = actions.close_rectification(world.secretary, item, "已补齐会议记录并归档", clock.today())
    assert closed.closed_on == clock.today() and closed.closed_by == world.secretary
    assert AuditLog.objects.filter(action="rectification.close", target_id=item.pk).count() == 1
    with pytest.raises(Conflict):
        actions.close_rectification(world.office, item, "再次销号", clock.today())
    row = next(r for r in load_rows(world.office, [world.campaign]) if r.org.pk == world.village.pk)
    assert row.facts.open_rectifications == 1


def test_pages(world, login):
    office = login(world.office)
    url = f"/campaigns/{world.campaign.pk}/visits/new/"
    assert office.get(url).status_code == 200
    bad = office.post(
        url, {"org": world.village.pk, "date": (clock.today() + dt.timedelta(days=3)).isoformat(), "inspectors": "甲", "findings": "问题"}
    )
    assert bad.status_code == 422 and "不能晚于今天" in bad.content.decode()
    data = {
        "org": world.village.pk,
        "date": clock.today().isoformat(),
        "inspectors": "检查员甲",
        "findings": "公示照片缺失。",
        "item_1": "补拍公示照片",
        "owner_1": "支书甲",
        "due_1": (clock.today() + dt.timedelta(days=3)).isoformat(),
    }
    response = office.post(url, data)
    assert response.status_code == 302
    visit = SupervisionVisit.objects.get()
    assert response["Location"] == f"/visits/{visit.pk}/"
    board = office.get(f"/campaigns/{world.campaign.pk}/progress/").content.decode()
    assert "1 项未销号" in board
    listing = office.get(f"/campaigns/{world.campaign.pk}/visits/").content.decode()
    assert "补拍公示照片" in listing
    added = office.post(f"/visits/{visit.pk}/", {"item": "整理档案", "owner": "委员乙", "due_on": clock.today().isoformat()})
    assert added.status_code == 302 and visit.items.count() == 2
    item = visit.items.get(item="补拍公示照片")
    secretary = login(world.secretary)
    assert secretary.get(f"/campaigns/{world.campaign.pk}/visits/new/").status_code == 403
    closed = secretary.post(f"/rectifications/{item.pk}/close/", {"evidence": "已补拍并张贴", "closed_on": clock.today().isoformat()})
    assert closed.status_code == 302
    again = secretary.post(f"/rectifications/{item.pk}/close/", {"evidence": "再次", "closed_on": clock.today().isoformat()})
    assert again.status_code == 409
    assert login(world.secretary2).get(f"/rectifications/{item.pk}/close/").status_code == 404


def test_bulletin_facts(world):
    from apps.oversight.bulletin import bulletin_facts

    from .build_oversight import every_state, past_deadline

    branches = every_state(world)
    past_deadline(world)
    visit = actions.record_visit(world.office, world.campaign, branches["submitted"], visit_data())
    actions.close_rectification(world.office, visit.items.get(item="完善公示照片"), "已完善", clock.today())
    facts = bulletin_facts(world.campaign, clock.today())
    assert facts["numbers"]["branches"] == 14 and facts["numbers"]["overdue"] == 9
    assert facts["overdue"][0] in {org.name for org in world.__dict__.values() if hasattr(org, "path")} | {
        b.name for b in branches.values()
    }
    assert branches["returned"].name in facts["overdue"] and branches["submitted"].name not in facts["overdue"]
    assert [x["overdue"] for x in facts["lagging"]] == sorted((x["overdue"] for x in facts["lagging"]), reverse=True)
    assert [i["item"] for i in facts["open_rectifications"]] == ["补齐党员大会记录"]
    assert facts["open_rectifications"][0]["org"] == branches["submitted"].name
    assert facts["chart_svg"].startswith("<svg") and ">已报镇党委</text>" in facts["chart_svg"]
    assert dict(facts["steps"])["已表彰"] == 1
    # Before the closing day the closed item was still open; before the deadline nobody was overdue.
    earlier = bulletin_facts(world.campaign, clock.today() - dt.timedelta(days=1))
    assert len(earlier["open_rectifications"]) == 2
    before = bulletin_facts(world.campaign, world.campaign.deadline)
    assert before["overdue"] == [] and before["numbers"]["overdue"] == 0


def test_huge_ids_in_forms_are_a_clear_error(world, login):
    office = login(world.office)
    huge = "9" * 30
    response = office.post(
        f"/campaigns/{world.campaign.pk}/visits/new/",
        {"org": huge, "date": clock.today().isoformat(), "inspectors": "甲", "findings": "无"},
    )
    assert response.status_code == 422 and not SupervisionVisit.objects.exists()
