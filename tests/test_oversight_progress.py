"""The progress board: the step function, the board in every state, scope per role, filters, the export,
the API rows, the chart, and a query count that does not grow with the branches."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from apps.nominations.models import Reopening
from apps.oversight.charts import bar_chart
from apps.oversight.choices import Step
from apps.oversight.progress import BranchFacts, branch_progress, load_rows, summary

from . import factories as f
from .build_oversight import every_state, past_deadline

TODAY = dt.date(2026, 5, 10)
NOW = timezone.make_aware(dt.datetime(2026, 5, 1, 9, 0))


# --- the pure function ---------------------------------------------------------------------------------------------

CASES = {
    "nothing": (BranchFacts(), Step.NO_MEETING),
    "registered": (BranchFacts(meeting_status="preparing", meeting_date=TODAY), Step.MEETING),
    "attendance": (BranchFacts(meeting_status="preparing", attendance_at=NOW, quorate=True), Step.ATTENDANCE),
    "voting": (BranchFacts(meeting_status="voting", attendance_at=NOW, quorate=True), Step.ATTENDANCE),
    "voted": (BranchFacts(meeting_status="concluded", attendance_at=NOW, quorate=True, voted_at=NOW), Step.VOTED),
    "proposed": (BranchFacts(meeting_status="concluded", committee_date=TODAY, statuses=["draft", "draft"]), Step.PROPOSED),
    "returned": (BranchFacts(meeting_status="concluded", committee_date=TODAY, statuses=["returned", "submitted"]), Step.RETURNED),
    "submitted": (BranchFacts(meeting_status="concluded", committee_date=TODAY, statuses=["submitted", "withdrawn"]), Step.SUBMITTED),
    "approved": (BranchFacts(meeting_status="concluded", committee_date=TODAY, statuses=["approved", "submitted"]), Step.SUBMITTED),
    "all approved": (BranchFacts(meeting_status="concluded", committee_date=TODAY, statuses=["approved"]), Step.APPROVED),
    "listed": (BranchFacts(meeting_status="concluded", committee_date=TODAY, statuses=["listed"]), Step.LISTED),
    "notice ahead": (
        BranchFacts(
            meeting_status="concluded",
            committee_date=TODAY,
            statuses=["listed"],
            notice_start=TODAY + dt.timedelta(1),
            notice_end=TODAY + dt.timedelta(6),
        ),
        Step.LISTED,
    ),
    "notice running": (
        BranchFacts(
            meeting_status="concluded", committee_date=TODAY, statuses=["listed"], notice_start=TODAY, notice_end=TODAY + dt.timedelta(4)
        ),
        Step.NOTICE,
    ),
    "notice ended": (
        BranchFacts(
            meeting_status="concluded",
            committee_date=TODAY,
            statuses=["listed"],
            notice_start=TODAY - dt.timedelta(9),
            notice_end=TODAY - dt.timedelta(1),
        ),
        Step.NOTICED,
    ),
    "commended": (BranchFacts(meeting_status="concluded", committee_date=TODAY, statuses=["commended", "withdrawn"]), Step.COMMENDED),
    "all withdrawn": (BranchFacts(meeting_status="concluded", committee_date=TODAY, statuses=["withdrawn"]), Step.WITHDRAWN),
}


@pytest.mark.parametrize("case", CASES)
def test_step_of_each_state(case):
    facts, step = CASES[case]
    assert branch_progress(facts, TODAY, TODAY).step == step


@pytest.mark.parametrize("case", CASES)
def test_overdue_only_without_submission_after_the_deadline(case):
    facts, step = CASES[case]
    before = branch_progress(facts, deadline=TODAY, today=TODAY)
    after = branch_progress(facts, deadline=TODAY - dt.timedelta(days=1), today=TODAY)
    unsent = step in (Step.NO_MEETING, Step.MEETING, Step.ATTENDANCE, Step.VOTED, Step.PROPOSED, Step.RETURNED)
    assert before.overdue is False  # the deadline day itself is still in time
    assert after.overdue is unsent


def test_a_running_reopening_lifts_overdue_and_an_expired_one_does_not():
    late = TODAY - dt.timedelta(days=5)
    running = BranchFacts(reopening_until=TODAY)
    expired = BranchFacts(reopening_until=TODAY - dt.timedelta(days=1))
    assert branch_progress(running, late, TODAY).overdue is False
    assert "延期" in branch_progress(running, late, TODAY).warning
    assert branch_progress(expired, late, TODAY).overdue is True


def test_cells_carry_the_milestone_dates():
    facts = BranchFacts(
        meeting_status="concluded",
        meeting_date=dt.date(2026, 4, 2),
        attendance_at=NOW,
        quorate=False,
        voted_at=NOW,
        committee_date=dt.date(2026, 4, 5),
        statuses=["draft"],
    )
    cells = branch_progress(facts, TODAY, TODAY).cells
    assert cells["meeting"] == "2026-04-02"
    assert cells["attendance"] == "2026-05-01 未达到法定人数"
    assert cells["vote"] == "2026-05-01"
    assert cells["proposal"] == "2026-04-05"
    assert cells["submitted"] == "" and cells["commended"] == ""


# --- the board from the database -----------------------------------------------------------------------------------


def _steps(rows):
    return {r.org.pk: r.progress.step for r in rows}


def test_every_state_from_the_models(world):
    branches = every_state(world)
    steps = _steps(load_rows(world.office, [world.campaign]))
    expected = {"not_quorate": Step.ATTENDANCE} | {name: Step(name) for name in branches if name != "not_quorate"}
    for name, org in branches.items():
        assert steps[org.pk] == expected[name], name
    # The fixture's other villages of the town have not started.
    assert steps[world.village.pk] == Step.NO_MEETING
    assert world.far_village.pk not in steps


def test_overdue_after_the_deadline_unless_reopened(world):
    branches = every_state(world)
    past_deadline(world)
    Reopening.objects.create(campaign=world.campaign, org=branches["voted"], until=timezone.localdate(), reason="村换届")
    rows = {r.org.pk: r.progress for r in load_rows(world.office, [world.campaign])}
    overdue = {name for name, org in branches.items() if rows[org.pk].overdue}
    assert overdue == {"no_meeting", "meeting", "attendance", "not_quorate", "proposed", "returned"}
    assert "延期" in rows[branches["voted"].pk].warning


def test_board_page_for_the_office(world, login):
    branches = every_state(world)
    past_deadline(world)
    page = login(world.office).get(f"/campaigns/{world.campaign.pk}/progress/")
    assert page.status_code == 200
    text = page.content.decode()
    for org in branches.values():
        assert org.name in text
    assert world.far_village.name not in text
    assert "row-overdue" in text
    assert "公示中" in text and "已表彰" in text
    meeting = branches["voted"].meetings.get()
    assert f"/meetings/{meeting.pk}/" in text
    assert f"/campaigns/{world.campaign.pk}/branches/{branches['no_meeting'].pk}/meeting/" in text
    proposal = branches["submitted"].proposals.get()
    assert f"/proposals/{proposal.pk}/" in text


def test_board_filters(world, login):
    branches = every_state(world)
    past_deadline(world)
    client = login(world.office)
    base = f"/campaigns/{world.campaign.pk}/progress/"
    by_step = client.get(base, {"step": "returned"}).content.decode()
    assert branches["returned"].name in by_step and branches["submitted"].name not in by_step
    by_kind = client.get(base, {"kind": "community"}).content.decode()
    assert branches["not_quorate"].name in by_kind and branches["meeting"].name not in by_kind
    overdue = client.get(base, {"status": "overdue"}).content.decode()
    assert branches["meeting"].name in overdue and branches["approved"].name not in overdue
    junk = client.get(base, {"step": "nonsense", "kind": "<x>", "status": "1"})
    assert junk.status_code == 200 and branches["approved"].name in junk.content.decode()


def test_secretary_sees_its_own_row_only(world, login):
    every_state(world)
    rows = load_rows(world.secretary, [world.campaign])
    assert [r.org.pk for r in rows] == [world.village.pk]
    text = login(world.secretary).get(f"/campaigns/{world.campaign.pk}/progress/").content.decode()
    assert world.village.name in text and world.village2.name not in text and "表彰村党支部" not in text


def test_county_sees_the_towns_summary_and_each_town(world, login):
    branches = every_state(world)
    past_deadline(world)
    client = login(world.county_user)
    page = client.get("/progress/")
    assert page.status_code == 200
    text = page.content.decode()
    assert str(world.town) in text and str(world.other_town) in text
    assert f"/campaigns/{world.campaign.pk}/progress/" in text
    board = client.get(f"/campaigns/{world.campaign.pk}/progress/").content.decode()
    assert branches["returned"].name in board
    assert "/proposals/" not in board and "/meetings/" not in board  # pages the county may not open


def test_inspector_is_refused_the_board(world, login):
    assert login(world.inspector).get(f"/campaigns/{world.campaign.pk}/progress/").status_code == 403


def test_export_holds_the_rows(world, login):
    branches = every_state(world)
    past_deadline(world)
    response = login(world.office).get(f"/campaigns/{world.campaign.pk}/progress.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][1] == "党组织"
    by_name = {line[1]: line for line in lines[1:]}
    assert {org.name for org in branches.values()} <= set(by_name)
    assert by_name[branches["meeting"].name][lines[0].index("逾期")] == "是"
    assert by_name[branches["approved"].name][lines[0].index("逾期")] in (None, "")
    assert by_name[branches["returned"].name][3].startswith("镇党委退回")
    filtered = login(world.office).get(f"/campaigns/{world.campaign.pk}/progress.xlsx?step=commended")
    assert len(list(load_workbook(BytesIO(filtered.content)).active.iter_rows())) == 2


def test_summary_numbers(world):
    every_state(world)
    past_deadline(world)
    numbers = summary(load_rows(world.office, [world.campaign]))
    # 14 branches of the town: 11 new ones, 镇机关 (the built "no_meeting"), 东岭村 and 南坑村 (untouched).
    assert numbers["branches"] == 14
    assert numbers["submitted"] == 5  # submitted, approved, listed, notice, commended
    assert numbers["overdue"] == 9  # the 7 steps before submission, 东岭村 and 南坑村
    assert numbers["commended"] == 1


# --- the API -------------------------------------------------------------------------------------------------------


def test_api_rows(world, api):
    branches = every_state(world)
    past_deadline(world)
    rows = api(world.office).get(f"campaigns/{world.campaign.pk}/progress").json()
    by_org = {r["org_id"]: r for r in rows}
    assert set(by_org) >= {org.pk for org in branches.values()}
    returned = by_org[branches["returned"].pk]
    assert returned["step"] == "returned" and returned["overdue"] is True and returned["step_label"].startswith("镇党委退回")
    assert returned["deadline"] == world.campaign.deadline.isoformat()
    assert by_org[branches["commended"].pk] | {"org_id": 0} == {
        "org_id": 0,
        "step": "commended",
        "step_label": "已表彰",
        "deadline": world.campaign.deadline.isoformat(),
        "overdue": False,
    }
    mine = api(world.secretary).get(f"campaigns/{world.campaign.pk}/progress").json()
    assert [r["org_id"] for r in mine] == [world.village.pk]
    assert api(world.other_office).get(f"campaigns/{world.campaign.pk}/progress").status_code == 404


# --- the chart -----------------------------------------------------------------------------------------------------


def test_bar_chart_holds_labels_and_values():
    svg = bar_chart([("已报镇党委", 7), ("公示中", 0), ("<b>", 3)], title="各环节支部数")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert ">已报镇党委</text>" in svg and ">7</text>" in svg and ">0</text>" in svg
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert "style=" not in svg and "<script" not in svg


def test_board_chart_counts_the_branches_per_step(world, login):
    every_state(world)
    text = login(world.office).get(f"/campaigns/{world.campaign.pk}/progress/").content.decode()
    svg = text[text.index("<svg") : text.index("</svg>")]
    # 3 branches have no meeting: 镇机关, 东岭村, 南坑村.
    assert "尚未登记党员大会</text><rect" in svg
    after = svg.split("尚未登记党员大会</text>", 1)[1]
    assert after.split('class="value">', 1)[1].startswith("3<")


# --- queries -------------------------------------------------------------------------------------------------------


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["office", "county_user"])
@pytest.mark.parametrize("page", ["board", "export", "summary"])
def test_board_queries_do_not_grow_with_branches(world, login, who, page):
    every_state(world)
    client = login(getattr(world, who))
    url = {
        "board": f"/campaigns/{world.campaign.pk}/progress/",
        "export": f"/campaigns/{world.campaign.pk}/progress.xlsx",
        "summary": "/progress/" if who == "county_user" else f"/campaigns/{world.campaign.pk}/progress/",
    }[page]
    few = _count(client, url)
    from . import build_nominations as bn

    for i in range(6):
        branch = f.org(f"增加村{i}党支部", world.town)
        if i % 2:
            bn.submitted(world.office, world.campaign, branch)
        f.org(f"增加村{i}党支部", world.other_town)
    many = _count(client, url)
    assert many == few, f"{few} queries before, {many} with 12 more branches"


def test_village_rows_join_through_the_hook(world, api, login, monkeypatch):
    """apps/villages (another app) registers a provider; its rows join the board, the export and the API."""
    from apps.oversight import progress

    def provider(user, campaigns, on):
        if user.is_county_reviewer:
            return []
        cells = {key: "" for key, _ in progress.COLUMNS}
        p = progress.Progress(Step.LISTED, "已报县委组织部（示范村）", "等待县委组织部审定", False, cells)
        return [progress.ProgressRow(campaigns[0], world.village2, p, kind="village")]

    monkeypatch.setattr(progress, "VILLAGE_ROW_PROVIDERS", [provider])
    rows = api(world.office).get(f"campaigns/{world.campaign.pk}/progress").json()
    village_rows = [r for r in rows if r["step_label"] == "已报县委组织部（示范村）"]
    assert village_rows == [
        {
            "org_id": world.village2.pk,
            "step": "listed",
            "step_label": "已报县委组织部（示范村）",
            "deadline": world.campaign.deadline.isoformat(),
            "overdue": False,
        }
    ]
    page = login(world.office).get(f"/campaigns/{world.campaign.pk}/progress/").content.decode()
    assert "示范村</span>" in page and "已报县委组织部（示范村）" in page
    county = api(world.county_user).get(f"campaigns/{world.campaign.pk}/progress").json()
    assert all(r["step_label"] != "已报县委组织部（示范村）" for r in county)


def test_home_page_tasks_from_the_board(world, login):
    every_state(world)
    past_deadline(world)
    office = login(world.office).get("/").content.decode()
    assert "9 个支部逾期未报送" in office and "?status=overdue" in office
    secretary = login(world.secretary).get("/").content.decode()
    assert "本支部当前环节：尚未登记党员大会" in secretary and "已过申报截止日期，尚未报送" in secretary
    assert "逾期未报送" not in login(world.county_user).get("/").content.decode()
