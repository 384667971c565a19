"""Exports: the member list and 民主评议 results as .xlsx with the import's headers; full IDs only for those who
manage members, and then audit-logged; formula-like text neutralized; an export imports back unchanged."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from apps.audit.models import AuditLog
from apps.orgs.choices import Grade, MemberStatus
from apps.orgs.models import Appraisal, Member
from apps.roster.columns import APPRAISAL_COLUMNS, MEMBER_COLUMNS
from apps.roster.export import neutralize

from .roster_files import upload


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def by_name(rows: list[tuple]) -> dict[str, dict]:
    """{name: {header: value}} of an export's data rows."""
    return {r[0]: dict(zip(rows[1], r, strict=True)) for r in rows[2:]}


def exports_logged() -> int:
    return AuditLog.objects.filter(action="roster.export_full").count()


def test_member_list_export_has_the_import_headers_and_masked_ids(world, login):
    rows = sheet_rows(login(world.office).get("/roster/export/members.xlsx"))
    assert rows[0][0].startswith("党员名册（导出时间")
    assert rows[1] == tuple(c.header for c in MEMBER_COLUMNS)
    members = by_name(rows)
    assert set(members) == {"张三", "李四", "王五", "赵六", "孙八"}, "the town's members, every status, nobody else's"
    zhang = members["张三"]
    assert zhang["公民身份号码"] == world.member.masked_id and zhang["联系电话"] == world.member.masked_phone
    assert zhang["所在党支部"] == "东岭村党支部" and zhang["人员类别"] == "正式党员" and zhang["状态"] == "在册"
    assert zhang["上级党组织"] == "中共测试县委员会/中共东岭镇委员会"
    assert exports_logged() == 0


def test_the_list_filters_apply_to_the_export(world, login):
    query = f"?branch={world.village.pk}&status=active"
    assert set(by_name(sheet_rows(login(world.office).get("/roster/export/members.xlsx" + query)))) == {"张三", "李四"}


def test_full_export_is_for_member_managers_and_is_logged(world, login):
    response = login(world.office).post("/roster/export/members.xlsx", {"query": "status=active"})
    members = by_name(sheet_rows(response))
    assert members["张三"]["公民身份号码"] == world.member.id_number and members["张三"]["联系电话"] == world.member.phone
    assert "孙八" not in members
    log = AuditLog.objects.get(action="roster.export_full")
    assert log.actor == world.office and log.town == world.town
    assert log.changes["导出人数"] == ["", 4] and "在册" in log.target_repr


def test_inspectors_export_no_member_data(world, login):
    client = login(world.inspector)
    for url in ("/roster/export/members.xlsx", "/roster/export/appraisals.xlsx"):
        assert client.get(url).status_code == 403
        assert client.post(url, {"query": ""}).status_code == 403
    assert exports_logged() == 0


@pytest.mark.parametrize("role", ["county_user", "approver"])
def test_others_get_masked_exports_only(world, login, role):
    client = login(getattr(world, role))
    assert client.post("/roster/export/members.xlsx", {"query": ""}).status_code == 403
    rows = sheet_rows(client.get("/roster/export/members.xlsx"))
    assert all(world.member.id_number not in str(r) for r in rows)
    assert exports_logged() == 0


def test_branch_secretary_exports_its_branch_only(world, login):
    client = login(world.secretary)
    assert set(by_name(sheet_rows(client.get("/roster/export/members.xlsx")))) == {"张三", "李四", "孙八"}
    rows = sheet_rows(client.post("/roster/export/members.xlsx", {"query": f"branch={world.village2.pk}"}))
    assert set(by_name(rows)) == {"张三", "李四", "孙八"}, "a branch outside the scope is not a valid filter"


@pytest.mark.parametrize("text", ["=1+2", "+8613800000000", "-", "@SUM(A1)", '=HYPERLINK("http://example.com","点我")'])
def test_formula_like_text_is_neutralized(text):
    assert neutralize(text) == "'" + text
    assert neutralize("村委会主任") == "村委会主任" and neutralize(5) == 5


def test_formula_like_cells_are_written_as_text_and_import_back_unchanged(world, login):
    Member.objects.filter(pk=world.member.pk).update(post="=1+2")
    Member.objects.filter(pk=world.member2.pk).update(post="-")
    client = login(world.office)
    response = client.post("/roster/export/members.xlsx", {"query": "status=active"})
    content = b"".join(response.streaming_content)
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    post = 1 + [c.value for c in ws[2]].index("工作岗位")
    posts = {ws.cell(row, 1).value: ws.cell(row, post) for row in range(3, ws.max_row + 1)}
    assert posts["张三"].value == "'=1+2" and posts["张三"].data_type == "s"
    assert posts["王五"].value == "'-"

    response = upload(client, content, "导出.xlsx")
    page = re.sub(r"\s+", " ", client.get(response["Location"]).content.decode())
    assert "新增 0" in page and "变更 0" in page and "未变 4" in page and "错误 0" in page


def test_export_roster_command_writes_full_ids_logs_and_imports_back_unchanged(world, tmp_path):
    out = tmp_path / "东岭镇.xlsx"
    stdout = io.StringIO()
    call_command("export_roster", str(out), "--scope", "中共东岭镇委员会", stdout=stdout)
    assert "已导出 4 名党员" in stdout.getvalue()
    rows = list(load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert {r[2] for r in rows[2:]} == {m.id_number for m in Member.objects.filter(branch__path__startswith=world.town.path).active()}
    log = AuditLog.objects.get(action="roster.export_full")
    assert log.actor is None and log.actor_label == "系统" and log.town == world.town

    report = io.StringIO()
    call_command("import_roster", str(out), "--scope", "中共东岭镇委员会", "--dry-run", "--json", stdout=report)
    counts = json.loads(report.getvalue())["counts"]
    assert counts == {"new": 0, "changed": 0, "unchanged": 4, "error": 0, "skipped": 0, "missing": 0, "total": 4}


def test_export_of_the_whole_system_by_command(world, tmp_path):
    out = tmp_path / "全部.xlsx"
    call_command("export_roster", str(out), stdout=io.StringIO())
    rows = list(load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(rows) - 2 == Member.objects.filter(status=MemberStatus.ACTIVE).count()


def test_appraisal_results_export(world, login):
    Appraisal.objects.create(member=world.member, year=2024, grade=Grade.EXCELLENT)
    Appraisal.objects.create(member=world.member2, year=2024, grade=Grade.BASIC, note="请假较多")
    Appraisal.objects.create(member=world.far_member, year=2024, grade=Grade.QUALIFIED)
    Appraisal.objects.create(member=world.member, year=2023, grade=Grade.QUALIFIED)
    rows = sheet_rows(login(world.office).get("/roster/export/appraisals.xlsx?year=2024"))
    assert rows[1] == tuple(c.header for c in APPRAISAL_COLUMNS)
    assert sorted(r[0] for r in rows[2:]) == ["张三", "王五"]
    wang = next(r for r in rows if r[0] == "王五")
    assert wang[1] == world.member2.masked_id and wang[2:] == (
        "南坑村党支部",
        "中共测试县委员会/中共东岭镇委员会",
        2024,
        "基本合格",
        "请假较多",
    )

    rows = sheet_rows(login(world.office).post("/roster/export/appraisals.xlsx", {"query": f"year=2024&branch={world.village.pk}"}))
    assert [(r[0], r[1]) for r in rows[2:]] == [("张三", world.member.id_number)]
    assert AuditLog.objects.filter(action="roster.export_full").count() == 1


def test_the_import_template(world, login):
    rows = sheet_rows(login(world.secretary).get("/roster/template.xlsx"))
    assert rows[1] == tuple(c.header for c in MEMBER_COLUMNS) and len(rows) == 2
    assert login(world.inspector).get("/roster/template.xlsx").status_code == 403
