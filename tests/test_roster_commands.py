"""`manage.py import_roster` for IT staff and scripts: the preview's result, JSON, exit status, all or nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from apps.audit.models import AuditLog
from apps.orgs.models import Member

from .roster_files import csv_bytes, new_id, person, table, xlsx


def write(tmp_path, content: bytes, name: str = "花名册.xlsx"):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def run(*args) -> tuple[dict | str, int]:
    out = io.StringIO()
    try:
        call_command("import_roster", *args, stdout=out)
    except CommandError as exc:
        code = exc.returncode
    else:
        code = 0
    text = out.getvalue()
    return (json.loads(text) if "--json" in args else text), code


def test_dry_run_reports_like_the_preview_and_writes_nothing(world, tmp_path):
    path = write(tmp_path, xlsx(table([person(1, "东岭村党支部"), person(2, "南坑村党支部")]), title="花名册"))
    report, code = run(path, "--scope", "中共东岭镇委员会", "--dry-run", "--json")
    assert code == 0
    assert report["counts"] == {"new": 2, "changed": 0, "unchanged": 0, "error": 0, "skipped": 0, "missing": 4, "total": 2}
    assert report["errors"] == [] and report["applied"] is False and report["dry_run"] is True
    assert report["header_row"] == 2 and report["scope"] == "中共东岭镇委员会"
    assert {m["name"] for m in report["missing"]} == {"张三", "李四", "王五", "赵六"}
    assert all("*" in m["id_number"] for m in report["missing"]), "IDs masked in the report"
    assert not Member.objects.filter(id_number__in=[new_id(1), new_id(2)]).exists()


def test_without_dry_run_a_clean_file_is_committed_and_logged(world, tmp_path):
    path = write(tmp_path, csv_bytes(table([person(1, "东岭村党支部")]), encoding="gbk"), "花名册.csv")
    report, code = run(path, "--scope", "东岭村党支部", "--json")
    assert code == 0 and report["applied"] is True and report["counts"]["new"] == 1
    assert Member.objects.get(id_number=new_id(1)).branch == world.village
    log = AuditLog.objects.get(action="roster.import")
    assert log.actor_label == "系统" and "命令行导入" in log.note and log.town == world.town

    again, code = run(path, "--scope", "东岭村党支部", "--json")
    assert code == 0 and again["counts"]["unchanged"] == 1 and again["counts"]["new"] == 0


def test_error_rows_give_exit_status_1_their_row_numbers_and_no_write(world, tmp_path):
    rows = [person(1, "东岭村党支部"), person(2, "东岭村党支部", 性别="未知"), person(3, "无名支部")]
    path = write(tmp_path, xlsx(table(rows), title="花名册", blank_rows=1))
    report, code = run(path, "--json")
    assert code == 1
    assert report["counts"]["error"] == 2 and report["counts"]["new"] == 1 and report["applied"] is False
    assert [e["row"] for e in report["errors"]] == [5, 6]
    assert "无法识别的性别“未知”" in report["errors"][0]["reasons"][0]
    assert "未找到党组织“无名支部”" in report["errors"][1]["reasons"][0]
    assert not Member.objects.filter(id_number=new_id(1)).exists(), "all rows or none"


def test_plain_text_report(world, tmp_path):
    path = write(tmp_path, xlsx(table([person(1, "东岭村党支部"), person(2, "无名支部")])))
    text, code = run(path, "--scope", "中共东岭镇委员会", "--dry-run")
    assert code == 1
    assert "表头在第 1 行" in text and "新增 1" in text and "错误 1" in text
    assert "第3行：未找到党组织“无名支部”" in text
    assert "可能已转出：张三（东岭村党支部，369901" in text


def test_scope_by_name(world, tmp_path):
    path = write(tmp_path, xlsx(table([person(1, "南坑村党支部")])))
    report, code = run(path, "--scope", "东岭村党支部", "--json")
    assert code == 1 and "不在本次导入范围（东岭村党支部）内" in report["errors"][0]["reasons"][0]
    with pytest.raises(CommandError, match="未找到名为“不存在的支部”的党组织"):
        call_command("import_roster", path, "--scope", "不存在的支部", stdout=io.StringIO())


def test_a_missing_file(world, tmp_path):
    report, code = run(str(tmp_path / "nope.xlsx"), "--json")
    assert code == 1 and "文件不存在" in report["error"]


def test_appraisals_by_command(world, tmp_path):
    rows = [["姓名", "公民身份号码", "评议等次"], ["张三", world.member.id_number, "优秀"], ["王五", world.member2.id_number, "合格"]]
    path = write(tmp_path, xlsx(rows))
    report, code = run(path, "--kind", "appraisals", "--year", "2024", "--scope", "中共东岭镇委员会", "--json")
    assert code == 0 and report["counts"]["new"] == 2 and report["applied"] is True
    assert world.member.appraisals.get(year=2024).grade == "excellent"
