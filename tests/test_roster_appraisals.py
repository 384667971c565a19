"""民主评议 grades imported the same way: matched by ID number, or by name within a branch; year, grade."""

from __future__ import annotations

import re

from apps.audit.models import AuditLog
from apps.orgs.choices import Grade
from apps.orgs.models import Appraisal
from apps.roster.models import ImportBatch

from . import factories as f
from .roster_files import csv_bytes, upload, xlsx


def preview(client, rows, name="评议结果.xlsx", **fields):
    content = xlsx(rows, title="2024年度民主评议党员结果") if name.endswith(".xlsx") else csv_bytes(rows, encoding="gbk")
    response = upload(client, content, name, kind="appraisals", **fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    return ImportBatch.objects.latest("pk"), re.sub(r"\s+", " ", page.content.decode())


def confirm(client, batch):
    return re.sub(r"\s+", " ", client.post(f"/roster/import/{batch.pk}/confirm/", follow=True).content.decode())


def test_grades_by_id_number_then_unchanged_then_corrected(world, login):
    client = login(world.office)
    rows = [
        ["姓名", "公民身份号码", "评议年度", "评议等次", "备注"],
        ["张三", world.member.id_number, 2024, "优秀", ""],
        ["王五", world.member2.id_number, "2024年", "基本合格", "请假较多"],
    ]
    batch, page = preview(client, rows)
    assert "新增 2" in page and "错误 0" in page
    assert "已导入" in confirm(client, batch)
    assert world.member.appraisals.get(year=2024).grade == Grade.EXCELLENT
    wang = world.member2.appraisals.get(year=2024)
    assert (wang.grade, wang.note, wang.recorded_by) == (Grade.BASIC, "请假较多", world.office)
    assert AuditLog.objects.filter(action="appraisal.create").count() == 2
    assert AuditLog.objects.get(action="roster.import_appraisals").changes["新增"] == ["", 2]

    batch, page = preview(client, rows)
    assert "未变 2" in page

    rows[2][3] = "合格"
    batch, page = preview(client, rows)
    assert "变更 1" in page and "评议等次：基本合格 → 合格" in page
    confirm(client, batch)
    assert world.member2.appraisals.get(year=2024).grade == Grade.QUALIFIED
    assert AuditLog.objects.get(action="appraisal.update").changes["评议等次"] == ["基本合格", "合格"]


def test_grades_by_name_and_branch_with_the_year_chosen_on_upload(world, login):
    client = login(world.secretary)
    f.member(world.village, "同名")
    f.member(world.village, "同名")
    rows = [
        ["姓名", "所在党支部", "评议结果"],
        ["张三", "东岭村党支部", "合格"],
        ["李四", "", "优秀"],
        ["同名", "东岭村党支部", "合格"],
        ["无此人", "", "合格"],
    ]
    batch, page = preview(client, rows, "评议.csv", year="2024")
    assert "新增 2" in page and "错误 2" in page
    assert "第4行：东岭村党支部有多名党员名为“同名”，请填写公民身份号码" in page
    assert "第5行：东岭村党支部没有名为“无此人”的在册党员" in page
    assert Appraisal.objects.count() == 0


def test_appraisal_rows_that_cannot_be_matched(world, login):
    client = login(world.office)
    rows = [
        ["姓名", "公民身份号码", "评议等次"],
        ["钱七", world.far_member.id_number, "合格"],
        ["李四", world.member.id_number, "合格"],
        ["张三", world.member.id_number, "良好"],
        ["张三", world.member.id_number, "优秀"],
        ["赵六", world.organ_member.id_number, "优秀"],
        ["赵六", world.organ_member.id_number, "合格"],
    ]
    batch, page = preview(client, rows)
    assert "第3行：导入范围（中共东岭镇委员会）内没有身份证号为" in page
    assert "第4行：姓名“李四”与身份证号不符：系统中该身份证号的党员为“张三”" in page
    assert "第5行：无法识别的评议等次“良好”" in page
    assert "第3行" in page and "缺少评议年度" in page
    batch, page = preview(client, rows, year="2024")
    assert "第7行：同一党员同一年度的评议结果与第8行重复" in page
    assert "确认导入" not in page
    assert "文件中有" in confirm(client, batch)
    assert Appraisal.objects.count() == 0


def test_an_appraisal_file_needs_a_grade_column(world, login):
    response = upload(login(world.office), xlsx([["姓名", "公民身份号码"], ["张三", world.member.id_number]]), kind="appraisals")
    assert response.status_code == 400
    assert "未找到表头" in response.content.decode() and "评议等次" in response.content.decode()
