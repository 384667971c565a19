"""A county-wide roster goes out and comes back unchanged, though branch names repeat across its towns.

Two invented towns built by the demo generator share their branch names (青山村党委, 石桥村党支部, …).
Every export (the command, the web page's full and masked exports, the 民主评议 export) carries the
organizations above each branch (上级党组织), and the import resolves a repeated name through it.
"""

from __future__ import annotations

import io
import json
import random

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from apps.core import clock
from apps.demo.generate import bulk_members, create_county, create_town
from apps.orgs.models import Appraisal, Member, Organization
from apps.roster.import_scope import import_scope
from apps.roster.plan import build_plan

from . import factories as f
from .roster_files import person, table, xlsx

MEMBER_VALUES = ("pk", "name", "gender", "ethnicity", "birth_date", "id_number", "phone", "education", "category")
MEMBER_VALUES += ("joined_on", "confirmed_on", "branch_id", "post", "status", "status_changed_on", "updated_at")


@pytest.fixture
def county(db):
    rng = random.Random(7)
    today = clock.today()
    county = create_county("云岭县")
    east, east_branches = create_town(county, "青山镇", 6, rng)
    west, west_branches = create_town(county, "白云镇", 6, rng)
    used: set[str] = set()
    bulk_members(east_branches, 60, rng, today=today, appraisal_year=today.year - 1, used=used)
    bulk_members(west_branches, 40, rng, today=today, appraisal_year=today.year - 1, used=used, seq_start=50_000)
    admin = f.user("county_admin", "admin", None)
    return county, east, west, east_branches, west_branches, admin


def snapshot() -> list[dict]:
    return list(Member.objects.order_by("pk").values(*MEMBER_VALUES))


def run_import(path, *args) -> tuple[dict, int]:
    out = io.StringIO()
    try:
        call_command("import_roster", str(path), "--json", *args, stdout=out)
    except CommandError as exc:
        return json.loads(out.getvalue()), exc.returncode
    return json.loads(out.getvalue()), 0


def test_the_towns_share_branch_names(county):
    _county, _east, _west, east_branches, west_branches = county[:5]
    assert {b.name for b in east_branches} == {b.name for b in west_branches}


def test_a_county_wide_export_by_command_imports_back_unchanged(county, tmp_path):
    before = snapshot()
    out = tmp_path / "名册.xlsx"
    call_command("export_roster", str(out), stdout=io.StringIO())
    active = Member.objects.active().count()

    report, code = run_import(out)
    assert code == 0, report["errors"][:3]
    assert report["counts"] == {"new": 0, "changed": 0, "unchanged": active, "error": 0, "skipped": 0, "missing": 0, "total": active}
    assert report["applied"] is True
    assert snapshot() == before, "every member exactly as before"


def test_the_web_exports_carry_the_parent_organizations_and_import_back(county, login, tmp_path):
    _county, east, west, east_branches, west_branches, admin = county
    before = snapshot()
    client = login(admin)
    response = client.post("/roster/export/members.xlsx", {"query": ""})
    path = tmp_path / "完整.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    rows = list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))
    header = rows[1]
    parents = {(r[header.index("所在党支部")], r[header.index("上级党组织")]) for r in rows[2:]}
    assert (east_branches[1].name, "中共云岭县委员会/中共青山镇委员会") in parents
    assert (west_branches[1].name, "中共云岭县委员会/中共白云镇委员会") in parents

    report, code = run_import(path)
    assert code == 0, report["errors"][:3]
    counts = report["counts"]
    assert counts["error"] == counts["new"] == counts["changed"] == counts["missing"] == 0
    assert counts["unchanged"] == Member.objects.active().count()
    assert counts["skipped"] == Member.objects.exclude(status="active").count(), "transferred and deceased members are not imported"
    assert snapshot() == before

    masked = client.get("/roster/export/members.xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(masked.streaming_content)), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert rows[1] == header
    assert {(r[header.index("所在党支部")], r[header.index("上级党组织")]) for r in rows[2:]} == parents


def test_a_county_wide_appraisal_export_imports_back_unchanged(county, login, tmp_path):
    admin = county[-1]
    before = list(Appraisal.objects.order_by("pk").values())
    assert before, "the generator recorded last year's grades"
    response = login(admin).post("/roster/export/appraisals.xlsx", {"query": ""})
    path = tmp_path / "评议.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    report, code = run_import(path, "--kind", "appraisals")
    assert code == 0, report["errors"][:3]
    gone = Appraisal.objects.exclude(member__status="active").count()
    assert gone, "the generator has members who left since"
    counts = report["counts"]
    assert counts["unchanged"] == len(before) - gone and counts["error"] == counts["new"] == counts["changed"] == 0
    assert counts["skipped"] == gone, "the grades of members who left are passed over, not refused"
    assert list(Appraisal.objects.order_by("pk").values()) == before


def test_a_repeated_name_without_its_parent_is_refused_with_the_way_out(county, tmp_path):
    name = county[3][1].name
    path = tmp_path / "新.xlsx"
    path.write_bytes(xlsx(table([person(1, name)])))
    report, code = run_import(path, "--dry-run")
    assert code == 1
    reason = report["errors"][0]["reasons"][0]
    assert f"党组织名称“{name}”在导入范围内不唯一" in reason and "上级党组织" in reason


@pytest.mark.parametrize(
    ("branch", "parent"),
    [
        ("{name}", "中共白云镇委员会"),  # the town alone
        ("{name}", "白云镇党委"),  # its short name
        ("{name}", "中共云岭县委员会/中共白云镇委员会"),  # the full path, as exported
        ("中共白云镇委员会/{name}", None),  # the path in the branch cell itself
        ("{name}", "中共云岭县委员会 ／ 中共白云镇委员会"),  # full-width slash and spaces
    ],
)
def test_a_repeated_name_resolves_through_its_parent(county, tmp_path, branch, parent):
    target = county[4][1]
    row = person(1, branch.format(name=target.name))
    headers = [*table([row])[0], "上级党组织"]
    row["上级党组织"] = parent
    path = tmp_path / "新.xlsx"
    path.write_bytes(xlsx(table([row], headers)))
    report, code = run_import(path)
    assert code == 0, report["errors"]
    assert Member.objects.get(id_number=row["公民身份号码"]).branch == target


def test_a_parent_that_does_not_hold_the_branch_is_an_error(county):
    scope = import_scope(None)
    name = county[3][1].name
    branch, reason = scope.resolve_branch(name, "中共石门镇委员会")
    assert branch is None and reason == f"未找到上级党组织为“中共石门镇委员会”的“{name}”，请核对上级党组织。"
    unique = Organization.objects.get(name="中共青山镇委员会")
    assert scope.resolve_branch("中共青山镇委员会", "")[0] == unique, "a unique name needs no parent"


def test_a_member_moved_to_the_same_named_branch_of_the_other_town_shows_both_paths(county, tmp_path):
    _county, _east, _west, east_branches, west_branches, _admin = county
    member = Member.objects.filter(branch=east_branches[1], status="active").first()
    row = {
        "姓名": member.name,
        "公民身份号码": member.id_number,
        "所在党支部": west_branches[1].name,
        "上级党组织": "中共白云镇委员会",
    }
    path = tmp_path / "调整.xlsx"
    path.write_bytes(xlsx(table([row], list(row))))
    with path.open("rb") as stream:
        plan = build_plan(stream, path.name, path.stat().st_size, kind="members", scope=import_scope(None))
    assert plan.rows[0].changes["所在党支部"] == [
        f"中共云岭县委员会/中共青山镇委员会/{east_branches[1].name}",
        f"中共云岭县委员会/中共白云镇委员会/{west_branches[1].name}",
    ]
