"""Importing a roster through the web: upload → preview → confirm, as a town office and a branch secretary."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from apps.audit.models import AuditLog
from apps.orgs.choices import Category, MemberStatus
from apps.orgs.models import Member
from apps.roster.choices import BatchStatus
from apps.roster.models import ImportBatch

from .roster_files import HEADERS, cn_name, csv_bytes, new_id, person, table, upload, xlsx


def members_state():
    return sorted(Member.objects.values_list("pk", "name", "id_number", "branch_id", "status", "phone", "post", "category", "updated_at"))


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def preview(client, content: bytes, name: str = "花名册.xlsx", **fields):
    response = upload(client, content, name, **fields)
    assert response.status_code == 302, text(response)[:3000]
    batch = ImportBatch.objects.latest("pk")
    return batch, client.get(response["Location"])


def confirm(client, batch, **data):
    return client.post(f"/roster/import/{batch.pk}/confirm/", data, follow=True)


def town_roster(world, count: int = 3, **overrides) -> list[dict]:
    """The whole town as its office would upload it: the world's members plus `count` new ones."""
    existing = [
        person(
            0,
            m.branch.name,
            m.name,
            id_number=m.id_number,
            联系电话=m.phone,
            工作岗位=m.post,
            学历=m.education or None,
            人员类别=m.get_category_display(),
            入党日期=m.joined_on,
            转正日期=m.confirmed_on,
        )
        for m in Member.objects.filter(branch__path__startswith=world.town.path, status=MemberStatus.ACTIVE).select_related("branch")
    ]
    return existing + [person(i, "东岭村党支部", **overrides) for i in range(1, count + 1)]


# --- the whole procedure --------------------------------------------------------------------------------------------


def test_town_office_previews_then_imports_a_system_export(world, login):
    client = login(world.office)
    people = [person(i, "东岭村党支部" if i % 2 else "南坑村党支部") for i in range(1, 6)]
    headers = ["序号", *HEADERS, "党内职务", "备注"]
    rows = [headers, *[[n, *[p[h] for h in HEADERS], "", ""] for n, p in enumerate(people, start=1)]]
    content = xlsx(rows, title="中共东岭镇委员会党员花名册", blank_rows=2)
    before = members_state()

    batch, page = preview(client, content, "东岭镇花名册.xlsx")
    assert members_state() == before, "a preview writes nothing"
    body = text(page)
    assert "表头在第 4 行" in body
    assert "已忽略的列" in body and "序号、党内职务、备注" in body
    assert "新增 5" in body and "错误 0" in body
    assert cn_name(1) in body
    assert new_id(1) not in body, "the preview shows ID numbers masked"

    done = confirm(client, batch)
    assert "已导入“东岭镇花名册.xlsx”：新增 5 名党员" in text(done)
    created = Member.objects.filter(id_number__in=[p["公民身份号码"] for p in people])
    assert created.count() == 5
    first = created.get(id_number=new_id(1))
    assert (first.name, first.branch, first.category, first.birth_date, first.gender) == (
        cn_name(1),
        world.village,
        Category.FORMAL,
        dt.date(1990, 3, 4),
        "男" if int(new_id(1)[16]) % 2 else "女",
    )
    assert (first.joined_on, first.confirmed_on, first.phone, first.post, first.education) == (
        dt.date(2015, 7, 1),
        dt.date(2016, 7, 1),
        "19900010001",
        "村委会委员",
        "大学本科",
    )

    summary = AuditLog.objects.get(action="roster.import")
    assert summary.actor == world.office and summary.town == world.town
    assert summary.target_repr == "东岭镇花名册.xlsx"
    assert summary.changes["新增"] == ["", 5] and summary.changes["文件"] == ["", "东岭镇花名册.xlsx"]
    creates = AuditLog.objects.filter(action="member.create", target_id=str(first.pk))
    assert creates.count() == 1
    assert creates.get().changes["公民身份号码"][1] == first.masked_id and creates.get().town == world.town

    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED and batch.payload is None, "the previewed rows are dropped once applied"
    assert batch.counts["new"] == 5


def test_re_importing_the_same_file_changes_nothing(world, login):
    client = login(world.office)
    content = xlsx(table(town_roster(world)))
    batch, _ = preview(client, content)
    confirm(client, batch)
    before = members_state()
    logs = AuditLog.objects.exclude(action__startswith="user.").count()

    batch, page = preview(client, content)
    body = text(page)
    assert "新增 0" in body and "变更 0" in body and "未变 7" in body and "可能已转出 0" in body
    assert "无需导入" in body
    confirm(client, batch)
    assert members_state() == before
    assert AuditLog.objects.exclude(action__startswith="user.").count() == logs + 1  # the import's own record only


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_csv_in_every_encoding_towns_save_it_in(world, login, encoding, delimiter):
    client = login(world.office)
    people = [person(i, "东岭村党支部", 工作岗位="村委会委员，妇女主任", 出生日期="1990年3月4日") for i in range(1, 3)]
    batch, page = preview(client, csv_bytes(table(people), encoding=encoding, delimiter=delimiter), "名册.csv")
    assert "新增 2" in text(page) and "错误 0" in text(page)
    confirm(client, batch)
    assert Member.objects.get(id_number=new_id(1)).post == "村委会委员，妇女主任"


def test_messy_cells_are_normalized(world, login):
    client = login(world.office)
    number = new_id(7)
    messy = person(
        7,
        " 东岭村党支部 ",
        "张 三",
        出生日期="1990.03",
        入党日期="2015年7月1日",
        转正日期=20160701,
        联系电话="199-0001-0007",
        学历="大专",
        民族="汉",
        人员类别="正式",
    )
    messy["公民身份号码"] = " ".join([number[:6], number[6:14], number[14:]]).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    batch, page = preview(client, xlsx(table([messy])))
    assert "新增 1" in text(page), text(page)[:3000]
    confirm(client, batch)
    m = Member.objects.get(id_number=number)
    assert (m.name, m.phone, m.education, m.ethnicity, m.joined_on, m.confirmed_on) == (
        "张三",
        "19900010007",
        "大学专科",
        "汉族",
        dt.date(2015, 7, 1),
        dt.date(2016, 7, 1),
    )


# --- matching by ID number: changes, moves, members absent from the file -------------------------------------------


def test_changed_fields_and_a_branch_move_are_listed_then_applied(world, login):
    client = login(world.office)
    rows = town_roster(world, count=0)
    for row in rows:
        if row["公民身份号码"] == world.member.id_number:
            row["联系电话"] = "13800001111"
            row["所在党支部"] = "南坑村党支部"
        if row["公民身份号码"] == world.probationary.id_number:
            row["人员类别"] = "正式党员"
            row["转正日期"] = dt.date(2020, 7, 1)
    batch, page = preview(client, xlsx(table(rows)))
    body = text(page)
    assert "变更 2" in body
    assert "联系电话：199****" in body and "→ 138****1111" in body
    assert "所在党支部：东岭村党支部 → 南坑村党支部" in body
    assert "人员类别：预备党员 → 正式党员" in body

    confirm(client, batch)
    world.member.refresh_from_db()
    world.probationary.refresh_from_db()
    assert (world.member.phone, world.member.branch) == ("13800001111", world.village2)
    assert (world.probationary.category, world.probationary.confirmed_on) == (Category.FORMAL, dt.date(2020, 7, 1))
    move = AuditLog.objects.get(action="member.transfer", target_id=str(world.member.pk))
    assert move.changes["所在党支部"] == ["东岭村党支部", "南坑村党支部"]
    assert AuditLog.objects.get(action="member.update", target_id=str(world.probationary.pk)).changes["人员类别"] == [
        "预备党员",
        "正式党员",
    ]


def test_blank_cells_do_not_clear_what_the_system_knows(world, login):
    client = login(world.office)
    rows = town_roster(world, count=0)
    for row in rows:
        row["联系电话"] = None
        row["工作岗位"] = ""
    batch, page = preview(client, xlsx(table(rows)))
    assert "变更 0" in text(page)


def test_members_absent_from_a_full_roster_are_listed_and_only_ticked_ones_leave(world, login):
    client = login(world.office)
    rows = [r for r in town_roster(world, count=1) if r["公民身份号码"] not in (world.member2.id_number, world.organ_member.id_number)]
    batch, page = preview(client, xlsx(table(rows)))
    body = text(page)
    assert "可能已转出（2 人）" in body and world.member2.name in body and world.organ_member.name in body
    assert world.far_member.name not in body, "only the town's own members"

    confirm(client, batch, transfer=[str(world.member2.pk)])
    world.member2.refresh_from_db()
    world.organ_member.refresh_from_db()
    assert world.member2.status == MemberStatus.TRANSFERRED and world.member2.status_changed_on == timezone.localdate()
    assert world.organ_member.status == MemberStatus.ACTIVE, "never removed without a tick"
    assert AuditLog.objects.filter(action="member.transfer", target_id=str(world.member2.pk)).exists()
    assert Member.objects.filter(id_number=new_id(1)).exists()


def test_a_scope_of_one_branch_lists_only_that_branchs_absentees(world, login):
    client = login(world.office)
    rows = [person(1, "东岭村党支部")]
    batch, page = preview(client, xlsx(table(rows)), scope=world.village.pk)
    body = text(page)
    assert "可能已转出（2 人）" in body and world.member.name in body and world.member2.name not in body


def test_a_member_who_left_and_comes_back_is_reactivated(world, login):
    client = login(world.office)
    gone = world.transferred
    row = person(0, "东岭村党支部", gone.name, id_number=gone.id_number, 联系电话=gone.phone, 工作岗位=gone.post or None)
    batch, page = preview(client, xlsx(table([row])), scope=world.village.pk)
    assert "状态：转出 → 在册" in text(page)
    confirm(client, batch)
    gone.refresh_from_db()
    assert gone.status == MemberStatus.ACTIVE
    assert Member.objects.filter(id_number=gone.id_number).count() == 1


def test_a_status_column_saying_transferred_skips_unknown_people(world, login):
    client = login(world.office)
    rows = [person(1, "东岭村党支部", 状态="转出"), person(2, "东岭村党支部", 状态="在册")]
    batch, page = preview(client, xlsx(table(rows, [*HEADERS, "状态"])), scope=world.village.pk)
    body = text(page)
    assert "新增 1" in body and "略过 1" in body and "状态为“转出”，不导入" in body


# --- row errors -----------------------------------------------------------------------------------------------------


def test_row_errors_are_listed_with_the_sheet_row_and_block_the_import(world, login):
    client = login(world.office)
    bad_check = new_id(3)[:17] + ("0" if new_id(3)[17] != "0" else "1")
    rows = [
        person(1, "东岭村党支部"),
        person(2, "东岭村党支部", 性别="女" if int(new_id(2)[16]) % 2 else "男"),
        person(3, "东岭村党支部", id_number=bad_check),
        person(4, "东岭村支部"),
        person(5, "东岭村党支部", 出生日期=dt.date(1991, 1, 1)),
        person(6, "东岭村党支部", 入党日期="2015-02-30"),
        person(7, "东岭村党支部", 人员类别="预备党员"),
        person(8, "东岭村党支部", id_number=world.far_member.id_number),
        person(9, "东岭村党支部", name="赵六😀"),
        person(10, "东岭村党支部", 入党日期=dt.date(2016, 7, 1), 转正日期=dt.date(2015, 7, 1)),
    ]
    before = members_state()
    batch, page = preview(client, xlsx(table(rows), title="花名册"))
    body = text(page)
    assert "错误 9" in body and "新增 1" in body
    for message in [
        "第4行：性别与身份证号不一致",
        "第5行：公民身份号码校验位错误",
        "第6行：未找到党组织“东岭村支部”，是否应为“东岭村党支部”？",
        "第7行：出生日期与身份证号不一致",
        "第8行：入党日期：日期“2015-02-30”不存在",
        "第9行：预备党员不应有转正日期",
        "第10行：该身份证号已登记为在册党员（西岭村党支部），不在本次导入范围内",
        "第11行：姓名“赵六😀”含有无效字符“😀”",
        "第12行：转正日期不能早于入党日期",
    ]:
        assert message in body, message
    assert "确认导入" not in body

    response = confirm(client, batch)
    assert "文件中有 9 行错误，未导入任何数据" in text(response)
    assert members_state() == before


def test_duplicate_id_numbers_inside_the_file_are_errors_on_every_row(world, login):
    client = login(world.office)
    rows = [person(1, "东岭村党支部"), person(2, "东岭村党支部"), person(1, "南坑村党支部", "重复者")]
    before = members_state()
    batch, page = preview(client, xlsx(table(rows)))
    body = text(page)
    assert "第2行：公民身份号码与第4行重复" in body and "第4行：公民身份号码与第2行重复" in body
    assert "错误 2" in body
    confirm(client, batch)
    assert members_state() == before


def test_rare_characters_import_and_emoji_are_a_row_error(world, login):
    client = login(world.office)
    rows = [person(1, "东岭村党支部", "𠀾䶮"), person(2, "东岭村党支部", "小明🎉")]
    batch, page = preview(client, xlsx(table(rows)))
    assert "姓名“小明🎉”含有无效字符“🎉”" in text(page)
    rows.pop()
    batch, page = preview(client, csv_bytes(table(rows), encoding="utf-8"), "名册.csv")
    confirm(client, batch)
    assert Member.objects.get(id_number=new_id(1)).name == "𠀾䶮"


# --- who may import what ------------------------------------------------------------------------------------------


def test_branch_secretary_imports_only_into_its_own_branch(world, login):
    client = login(world.secretary)
    rows = [person(1, "东岭村党支部"), person(2, "南坑村党支部"), person(3, "西岭村党支部")]
    batch, page = preview(client, xlsx(table(rows)))
    body = text(page)
    assert "新增 1" in body
    assert "第3行：党组织“南坑村党支部”不在本次导入范围（东岭村党支部）内" in body
    assert "第4行：党组织“西岭村党支部”不在本次导入范围（东岭村党支部）内" in body


def test_branch_secretary_file_without_a_branch_column_goes_to_its_branch(world, login):
    client = login(world.secretary)
    headers = [h for h in HEADERS if h != "所在党支部"]
    batch, page = preview(client, xlsx(table([person(1, "")], headers)))
    assert "新增 1" in text(page)
    confirm(client, batch)
    assert Member.objects.get(id_number=new_id(1)).branch == world.village


def test_secretary_cannot_reach_a_member_of_another_branch_by_id(world, login):
    client = login(world.secretary)
    row = person(0, "东岭村党支部", world.member2.name, id_number=world.member2.id_number)
    batch, page = preview(client, xlsx(table([row])))
    assert "该身份证号已登记为在册党员（南坑村党支部），不在本次导入范围内" in text(page)


def test_a_scope_outside_the_users_organizations_is_refused(world, login):
    response = upload(login(world.secretary), xlsx(table([person(1, "南坑村党支部")])), scope=world.village2.pk)
    assert response.status_code == 400
    assert "选择一个有效的选项" in text(response)


@pytest.mark.parametrize("role", ["inspector", "county_user", "approver"])
def test_roles_that_do_not_manage_members_cannot_import(world, login, role):
    client = login(getattr(world, role))
    assert client.get("/roster/import/").status_code == 403
    assert upload(client, xlsx(table([person(1, "东岭村党支部")]))).status_code == 403
    assert not ImportBatch.objects.exists()


def test_a_preview_belongs_to_its_uploader(world, login, client):
    batch, _ = preview(login(world.office), xlsx(table([person(1, "东岭村党支部")])))
    other = Client()
    other.force_login(world.admin)
    assert other.get(f"/roster/import/{batch.pk}/").status_code == 404
    assert other.post(f"/roster/import/{batch.pk}/confirm/").status_code == 404
    assert not Member.objects.filter(id_number=new_id(1)).exists()


def test_confirm_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.office)
    response = upload(client, xlsx(table([person(1, "东岭村党支部")])))
    assert response.status_code == 403
    assert "CSRF" in text(response)
    assert not ImportBatch.objects.exists()


# --- the preview is checked again at confirmation -------------------------------------------------------------------


def test_confirm_refuses_when_the_roster_changed_since_the_preview(world, login):
    client = login(world.office)
    batch, _ = preview(client, xlsx(table(town_roster(world, count=1))))
    Member.objects.filter(pk=world.member.pk).update(phone="13900000000")
    before = members_state()
    response = confirm(client, batch)
    assert "自预览以来，党员名册或党组织已有变动" in text(response)
    assert members_state() == before
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEW


def test_a_preview_expires_after_a_day_and_cancel_drops_it(world, login):
    client = login(world.office)
    batch, _ = preview(client, xlsx(table([person(1, "东岭村党支部")])))
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - dt.timedelta(days=1, minutes=1))
    response = confirm(client, batch)
    assert "不能再确认" in text(response)
    assert ImportBatch.objects.purge_stale() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.payload) == (BatchStatus.EXPIRED, None)

    batch, _ = preview(client, xlsx(table([person(1, "东岭村党支部")])))
    response = client.post(f"/roster/import/{batch.pk}/cancel/", follow=True)
    assert "已取消导入" in text(response)
    batch.refresh_from_db()
    assert (batch.status, batch.payload) == (BatchStatus.CANCELLED, None)
    assert confirm(client, batch).status_code == 200
    assert not Member.objects.filter(id_number=new_id(1)).exists()


def test_confirming_twice_imports_once(world, login):
    client = login(world.office)
    batch, _ = preview(client, xlsx(table([person(1, "东岭村党支部")])))
    confirm(client, batch)
    response = confirm(client, batch)
    assert "已导入，不能再确认" in text(response)
    assert Member.objects.filter(id_number=new_id(1)).count() == 1


def test_the_preview_result_list_downloads_as_xlsx(world, login):
    client = login(world.office)
    batch, _ = preview(client, xlsx(table([person(1, "东岭村党支部"), person(2, "无此支部")])))
    response = client.get(f"/roster/import/{batch.pk}/result.xlsx?show=error")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1] == ("行号", "结果", "说明", "姓名", "公民身份号码", "所在党支部")
    assert rows[2][0:2] == (3, "错误") and "无此支部" in rows[2][2]


def test_the_member_list_links_to_import_and_export(world, login):
    body = text(login(world.office).get("/members/"))
    assert 'href="/roster/import/"' in body and "/roster/export/members.xlsx" in body and "导出（完整身份证号）" in body
    body = text(login(world.county_user).get("/members/"))
    assert 'href="/roster/import/"' not in body and "/roster/export/members.xlsx" in body and "导出（完整身份证号）" not in body
