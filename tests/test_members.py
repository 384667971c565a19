"""Members through the views: add, edit, transfer, reveal the ID number, record appraisals.

Every refused input gives a Chinese message next to the field, re-renders the form (200) and changes nothing:
no member row, no field, no audit row.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from apps.audit.models import AuditLog
from apps.core import clock
from apps.core.idcard import make_id, mask_phone
from apps.orgs.choices import Category, Grade, MemberStatus
from apps.orgs.models import Appraisal, Member

from . import factories as f

BIRTH = dt.date(1991, 3, 15)
NEW_ID = make_id("369901", BIRTH, 123)  # sequence 123: odd → 男


def member_data(w, **changes) -> dict:
    data = {
        "name": "陈新民",
        "id_number": NEW_ID,
        "gender": "男",
        "birth_date": BIRTH.isoformat(),
        "ethnicity": "汉族",
        "education": "大学本科",
        "phone": "19900009999",
        "category": Category.FORMAL,
        "joined_on": "2015-07-01",
        "confirmed_on": "2016-07-01",
        "branch": w.village.pk,
        "post": "村会计",
        "sanction_start": "",
        "sanction_end": "",
        "sanction_note": "",
        "note": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def edit_data(member: Member, **changes) -> dict:
    data = {
        "name": member.name,
        "id_number": member.id_number,
        "gender": member.gender,
        "birth_date": member.birth_date.isoformat(),
        "ethnicity": member.ethnicity,
        "education": member.education,
        "phone": member.phone,
        "category": member.category,
        "joined_on": member.joined_on.isoformat() if member.joined_on else "",
        "confirmed_on": member.confirmed_on.isoformat() if member.confirmed_on else "",
        "post": member.post,
        "sanction_start": "",
        "sanction_end": "",
        "sanction_note": "",
        "note": member.note,
    }
    data.update(changes)
    return data


def state() -> tuple:
    """Everything a refused request must leave untouched."""
    members = tuple(Member.objects.order_by("pk").values_list(*[f.attname for f in Member._meta.concrete_fields if f.name != "updated_at"]))
    return members, AuditLog.objects.count(), Appraisal.objects.count()


def assert_field_error(response, field: str, message: str):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, f"expected an error on {field}, got {dict(errors)}"
    assert any(message in e for e in errors[field]), errors[field]
    html = response.content.decode()
    # Rendered inside that field's block, right after its input.
    block = re.search(rf'<div class="field has-error[^"]*">\s*<label for="id_{field}">.*?</div>', html, re.S)
    assert block and message in block.group(0)


# --- adding a member -------------------------------------------------------------------------------------------------

SHIFTED_CHECK = NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id_number": "36990119910315"}, "id_number", "应为18位"),
        ({"id_number": "A6990119910315123X"}, "id_number", "格式错误"),
        ({"id_number": SHIFTED_CHECK}, "id_number", "校验位错误"),
        ({"id_number": ""}, "id_number", "请填写公民身份号码"),
        ({"birth_date": "1991-03-16"}, "birth_date", "出生日期与身份证号不一致"),
        ({"gender": "女"}, "gender", "性别与身份证号不一致"),
        ({"joined_on": "1990-01-01", "confirmed_on": "1991-01-01"}, "joined_on", "入党日期不能早于出生日期"),
        ({"joined_on": "2015-07-01", "confirmed_on": "2015-06-30"}, "confirmed_on", "转正日期不能早于入党日期"),
        ({"category": Category.PROBATIONARY}, "confirmed_on", "预备党员不应有转正日期"),
        (
            {"category": Category.PROBATIONARY, "joined_on": (clock.today() + dt.timedelta(days=2)).isoformat(), "confirmed_on": ""},
            "joined_on",
            "入党日期不能晚于今天",
        ),
        ({"name": ""}, "name", "请填写姓名"),
        ({"name": "   "}, "name", "请填写姓名"),
        ({"phone": "1990000abcd"}, "phone", "联系电话只能包含数字"),
        ({"phone": "12345"}, "phone", "联系电话长度不正确"),
        ({"joined_on": "abc"}, "joined_on", "有效的日期"),
        ({"joined_on": "2015-02-30"}, "joined_on", "有效的日期"),
        ({"birth_date": "1991/13/45"}, "birth_date", "有效的日期"),
        ({"confirmed_on": "'; DROP TABLE orgs_member; --"}, "confirmed_on", "有效的日期"),
        ({"name": "张" * 41}, "name", "不超过 40"),
        ({"post": "岗" * 101}, "post", "不超过 100"),
        ({"note": "备" * 201}, "note", "不超过 200"),
        ({"category": "leader"}, "category", "选择一个有效的选项"),
        ({"sanction_end": "2024-01-01"}, "sanction_start", "须填写开始日期"),
        ({"sanction_start": "2024-06-01", "sanction_end": "2024-01-01"}, "sanction_end", "不能早于开始日期"),
    ],
    ids=lambda v: v if isinstance(v, str) and v.isascii() else None,
)
def test_bad_input_on_add_is_refused_next_to_the_field(world, login, changes, field, message):
    client = login(world.office)
    before = state()
    response = client.post("/members/new/", member_data(world, **changes))
    assert_field_error(response, field, message)
    assert state() == before


@pytest.mark.parametrize("role", ["office", "secretary"])
def test_forged_branch_outside_scope_is_refused(world, login, role):
    """The form lists only branches in scope; a hand-made POST naming another one gets a field error."""
    target = {"office": world.far_village, "secretary": world.village2}[role]
    client = login(getattr(world, role))
    before = state()
    response = client.post("/members/new/", member_data(world, branch=target.pk))
    assert_field_error(response, "branch", "选择一个有效的选项")
    assert state() == before


def test_town_is_not_a_branch(world, login):
    client = login(world.office)
    before = state()
    response = client.post("/members/new/", member_data(world, branch=world.town.pk))
    assert_field_error(response, "branch", "选择一个有效的选项")
    assert state() == before


def test_duplicate_id_of_an_active_member_is_refused(world, login):
    client = login(world.office)
    before = state()
    response = client.post("/members/new/", member_data(world, id_number=world.member2.id_number, birth_date="", gender=""))
    assert_field_error(response, "id_number", "该身份证号已登记为在册党员")
    assert world.member2.branch.name in response.content.decode()
    assert state() == before


def test_duplicate_id_of_a_member_of_another_town_is_refused_too(world, login):
    """One person, one active membership: the check is global, not limited to the office's town."""
    client = login(world.office)
    before = state()
    response = client.post("/members/new/", member_data(world, id_number=world.far_member.id_number, birth_date="", gender=""))
    assert_field_error(response, "id_number", "该身份证号已登记为在册党员")
    assert state() == before


def test_id_of_a_transferred_out_member_may_be_registered_again(world, login):
    old = world.transferred
    response = login(world.office).post(
        "/members/new/", member_data(world, id_number=old.id_number, birth_date="", gender="", branch=world.village2.pk)
    )
    assert response.status_code == 302
    again = Member.objects.get(id_number=old.id_number, status=MemberStatus.ACTIVE)
    assert again.pk != old.pk and again.branch == world.village2


def test_valid_add_creates_the_member_and_one_audit_row(world, login):
    typed_id = "".join(chr(ord(c) + 0xFEE0) for c in NEW_ID[:6]) + " " + NEW_ID[6:14] + " " + NEW_ID[14:].lower()
    response = login(world.secretary).post("/members/new/", member_data(world, id_number=typed_id, birth_date="", gender=""))
    assert response.status_code == 302
    member = Member.objects.get(name="陈新民")
    assert response["Location"] == f"/members/{member.pk}/"
    assert (member.id_number, member.birth_date, member.gender, member.branch) == (NEW_ID, BIRTH, "男", world.village)
    log = AuditLog.objects.get(action="member.create")
    assert (log.actor, log.target_id, log.town) == (world.secretary, str(member.pk), world.town)
    assert log.changes["姓名"] == ["", "陈新民"]
    assert log.changes["公民身份号码"] == ["", "369901********" + NEW_ID[-4:]]  # never the full number in the log


# --- editing -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id_number": "369901198005170"}, "id_number", "应为18位"),
        ({"birth_date": "NEXT_DAY"}, "birth_date", "出生日期与身份证号不一致"),
        ({"gender": "女"}, "gender", "性别与身份证号不一致"),
        ({"joined_on": "1970-01-01"}, "joined_on", "入党日期不能早于出生日期"),
        ({"confirmed_on": "2004-01-01"}, "confirmed_on", "转正日期不能早于入党日期"),
        ({"name": ""}, "name", "请填写姓名"),
        ({"phone": "199-0000-12ab"}, "phone", "联系电话只能包含数字"),
        ({"joined_on": "yesterday"}, "joined_on", "有效的日期"),
        ({"ethnicity": "族" * 21}, "ethnicity", "不超过 20"),
    ],
    ids=lambda v: v if isinstance(v, str) and v.isascii() else None,
)
def test_bad_input_on_edit_is_refused_next_to_the_field(world, login, changes, field, message):
    member = world.member
    if "gender" in changes:
        changes = {"gender": "女" if member.gender == "男" else "男"}
    if changes.get("birth_date") == "NEXT_DAY":
        changes = {"birth_date": (member.birth_date + dt.timedelta(days=1)).isoformat()}
    client = login(world.secretary)
    before = state()
    response = client.post(f"/members/{member.pk}/edit/", edit_data(member, **changes))
    assert_field_error(response, field, message)
    assert state() == before


def test_edit_to_the_id_of_another_active_member_is_refused(world, login):
    other = world.probationary
    data = edit_data(world.member, id_number=other.id_number, birth_date=other.birth_date.isoformat(), gender=other.gender)
    client = login(world.secretary)
    before = state()
    response = client.post(f"/members/{world.member.pk}/edit/", data)
    assert_field_error(response, "id_number", "该身份证号已登记为在册党员")
    assert state() == before


def test_edit_writes_before_and_after(world, login):
    member = world.member
    old_phone = member.phone
    response = login(world.secretary).post(f"/members/{member.pk}/edit/", edit_data(member, post="村会计", phone="19900005555"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.post, member.phone) == ("村会计", "19900005555")
    log = AuditLog.objects.get(action="member.update")
    assert log.actor == world.secretary and log.target_id == str(member.pk)
    assert log.changes == {"工作岗位/职务": ["", "村会计"], "联系电话": [mask_phone(old_phone), "199****5555"]}


def test_saving_an_unchanged_form_writes_no_audit_row(world, login):
    client = login(world.secretary)
    before = AuditLog.objects.count()
    response = client.post(f"/members/{world.member.pk}/edit/", edit_data(world.member))
    assert response.status_code == 302
    assert AuditLog.objects.count() == before


def test_a_forged_branch_on_edit_is_ignored(world, login):
    """The edit form has no branch: moving a member is a transfer, with a reason."""
    response = login(world.secretary).post(f"/members/{world.member.pk}/edit/", edit_data(world.member, branch=world.far_village.pk))
    assert response.status_code == 302
    world.member.refresh_from_db()
    assert world.member.branch == world.village


# --- transfers and status changes --------------------------------------------------------------------------------------


def transfer(client, member, **data):
    payload = {"to_branch": "", "status": member.status, "on": clock.today().isoformat(), "reason": "工作调动"}
    payload.update(data)
    return client.post(f"/members/{member.pk}/transfer/", payload)


@pytest.mark.parametrize(
    ("role", "changes", "field", "message"),
    [
        ("office", {"to_branch": "VILLAGE2", "reason": ""}, "reason", "请填写变更原因"),
        ("office", {"to_branch": "VILLAGE2", "on": "2024-13-01"}, "on", "有效的日期"),
        ("office", {"to_branch": "FAR"}, "to_branch", "选择一个有效的选项"),
        ("office", {"to_branch": "TOWN"}, "to_branch", "选择一个有效的选项"),
        ("secretary", {"to_branch": "VILLAGE2"}, "to_branch", "选择一个有效的选项"),
        ("office", {"status": "expelled"}, "status", "选择一个有效的选项"),
        ("office", {"to_branch": "VILLAGE2", "reason": "因" * 201}, "reason", "不超过 200"),
    ],
)
def test_bad_transfer_is_refused_next_to_the_field(world, login, role, changes, field, message):
    ids = {"VILLAGE2": world.village2.pk, "FAR": world.far_village.pk, "TOWN": world.town.pk}
    changes = {k: ids.get(v, v) for k, v in changes.items()}
    client = login(getattr(world, role))
    before = state()
    response = transfer(client, world.member, **changes)
    assert_field_error(response, field, message)
    assert state() == before


def test_transfer_without_any_change_is_refused(world, login):
    client = login(world.office)
    before = state()
    response = transfer(client, world.member)
    assert response.status_code == 200
    assert "请选择转入的党组织或新的状态" in response.content.decode()
    assert state() == before


def test_reactivating_a_member_whose_id_is_active_elsewhere_is_refused(world, login):
    old = world.transferred
    f.member(world.village2, "孙八", id_number=old.id_number, birth_date=old.birth_date, gender=old.gender)
    client = login(world.office)
    before = state()
    response = transfer(client, old, status=MemberStatus.ACTIVE, reason="转回")
    assert response.status_code == 200
    assert "该身份证号已登记为在册党员" in response.content.decode()
    assert state() == before


def test_office_moves_a_member_between_branches_of_its_town(world, login):
    response = transfer(login(world.office), world.member, to_branch=world.village2.pk)
    assert response.status_code == 302
    world.member.refresh_from_db()
    assert world.member.branch == world.village2
    log = AuditLog.objects.get(action="member.transfer")
    assert log.changes == {"所在党支部": [world.village.name, world.village2.name]}
    assert (log.note, log.actor, log.town) == ("工作调动", world.office, world.town)


def test_secretary_records_a_transfer_out(world, login):
    on = clock.today() - dt.timedelta(days=3)
    response = transfer(login(world.secretary), world.member, status=MemberStatus.TRANSFERRED, on=on.isoformat(), reason="迁往外省")
    assert response.status_code == 302
    world.member.refresh_from_db()
    assert (world.member.status, world.member.status_changed_on) == (MemberStatus.TRANSFERRED, on)
    log = AuditLog.objects.get(action="member.transfer")
    assert log.changes["状态"] == ["在册", "转出"]


# --- personal data: masked everywhere, revealed on purpose and logged ---------------------------------------------------

MASKED = re.compile(r"369901\*{8}\d{3}[\dX]")


@pytest.mark.parametrize("url", ["/members/", "/members/?q=张", f"/members/?status={MemberStatus.ACTIVE}"])
def test_member_list_shows_masked_numbers_only(world, login, url):
    html = login(world.office).get(url).content.decode()
    assert world.member.name in html
    assert MASKED.search(html)
    for m in Member.objects.all():
        assert m.id_number not in html
        assert m.phone not in html
        assert m.id_number[6:14] not in html  # the birth date inside the number
    assert AuditLog.objects.filter(action="member.reveal").count() == 0


def test_member_list_htmx_fragment_is_masked_too(world, login):
    response = login(world.office).get("/members/?q=张", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and world.member.name in html
    assert world.member.id_number not in html and MASKED.search(html)


def test_member_detail_is_masked_until_revealed(world, login):
    client = login(world.secretary)
    html = client.get(f"/members/{world.member.pk}/").content.decode()
    assert world.member.masked_id in html
    assert world.member.id_number not in html and world.member.phone not in html
    response = client.post(f"/members/{world.member.pk}/reveal/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert world.member.id_number in html and world.member.phone in html
    assert "已记入审计日志" in html
    log = AuditLog.objects.get(action="member.reveal")
    assert (log.actor, log.target_id, log.town, log.ip) == (world.secretary, str(world.member.pk), world.town, "127.0.0.1")
    # Revealing is for this response only: the next page view is masked again.
    assert world.member.id_number not in client.get(f"/members/{world.member.pk}/").content.decode()


@pytest.mark.parametrize("role", ["approver", "county_user"])
def test_read_only_roles_cannot_reveal(world, login, role):
    client = login(getattr(world, role))
    html = client.get(f"/members/{world.member.pk}/").content.decode()
    assert "显示完整号码" not in html
    assert client.post(f"/members/{world.member.pk}/reveal/").status_code == 403
    assert not AuditLog.objects.filter(action="member.reveal").exists()


def test_reveal_is_post_only(world, login):
    response = login(world.office).get(f"/members/{world.member.pk}/reveal/")
    assert response.status_code == 405
    assert not AuditLog.objects.filter(action="member.reveal").exists()


# --- appraisals --------------------------------------------------------------------------------------------------------


def appraise(client, member, year, grade, note=""):
    return client.post(f"/members/{member.pk}/appraisal/", {"ap-year": year, "ap-grade": grade, "ap-note": note})


def test_recording_and_correcting_an_appraisal(world, login):
    client = login(world.secretary)
    year = world.campaign.appraisal_year
    assert appraise(client, world.member, year, Grade.QUALIFIED).status_code == 302
    created = AuditLog.objects.get(action="appraisal.create")
    assert created.changes["评议等次"] == ["", "合格"]
    assert created.changes["年度"] == ["", year]
    assert created.changes["党员"] == ["", world.member.name]

    assert appraise(client, world.member, year, Grade.BASIC, "群众意见较多").status_code == 302
    appraisal = Appraisal.objects.get(member=world.member, year=year)
    assert (appraisal.grade, appraisal.note, appraisal.recorded_by) == (Grade.BASIC, "群众意见较多", world.secretary)
    updated = AuditLog.objects.get(action="appraisal.update")
    assert updated.changes == {"评议等次": ["合格", "基本合格"], "备注": ["", "群众意见较多"]}

    # The same grade again changes nothing and logs nothing.
    appraise(client, world.member, year, Grade.BASIC, "群众意见较多")
    assert AuditLog.objects.filter(action__startswith="appraisal.").count() == 2


@pytest.mark.parametrize(
    ("year", "grade", "field", "message"),
    [
        ("NEXT", Grade.QUALIFIED, "year", "评议年度应在 1990 至"),
        (1989, Grade.QUALIFIED, "year", "评议年度应在 1990 至"),
        ("abc", Grade.QUALIFIED, "year", "整数"),
        ("THIS", "great", "grade", "选择一个有效的选项"),
    ],
)
def test_bad_appraisal_is_refused(world, login, year, grade, field, message):
    year = {"NEXT": clock.today().year + 1, "THIS": clock.today().year}.get(year, year)
    client = login(world.secretary)
    before = state()
    response = appraise(client, world.member, year, grade)
    assert response.status_code == 400
    assert any(message in e for e in response.context["appraisal_form"].errors[field])
    assert message in response.content.decode()
    assert state() == before


def test_the_database_itself_keeps_active_id_numbers_unique(world):
    """The partial unique index is the backstop behind the form check (both SQLite and PostgreSQL)."""
    from django.db import IntegrityError, transaction

    from apps.orgs.models import Member

    clone = Member.objects.get(pk=world.member.pk)
    clone.pk = None
    clone.branch = world.village2
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()
    clone.status = "transferred"
    clone.save()  # a 转出 record may share the number


def test_the_member_list_escapes_every_value_it_writes(world, login):
    """The rows are written by apps.orgs.views.member_rows_html, not by the template: each value escaped all the same."""
    f.member(world.village, '<script>alert("名")</script>', post='"><img src=x onerror=alert(1)>')
    page = login(world.office).get("/members/", {"q": "script"}).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;名&quot;)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count('<td class="mono">') == 2  # one row: the masked ID and the masked phone


def test_the_member_list_escapes_a_value_holding_the_separator_of_its_one_escape_call(world, login):
    """member_rows_html escapes the page's values in one call, joined by U+001F: a value holding it is escaped alone,
    and its row's values stay in their own cells."""
    from html import escape

    from apps.orgs.views import escape_all

    values = ['a\x1fb<"', "", "&", "'", "甲\x1f\x1f"]
    assert escape_all(values) == [escape(v) for v in values]
    assert escape_all(["x<", "y>"]) == ["x&lt;", "y&gt;"]
    f.member(world.village, "分\x1f隔<b>", post="岗\x1f位&")
    page = login(world.office).get("/members/", {"q": "分"}).content.decode()
    assert ">分\x1f隔&lt;b&gt;</a></td>" in page and "<td>岗\x1f位&amp;</td>" in page


def test_the_member_list_marks_a_member_in_a_sanction_period(world, login):
    today = clock.today()
    f.member(world.village, "周九", sanction_start=today - dt.timedelta(days=30), sanction_end=today + dt.timedelta(days=30))
    page = login(world.office).get("/members/", {"q": "周九"}).content.decode()
    assert re.search(r"<td>[^<]*<span class=\"badge badge-orange\">处分期</span></td></tr>", page)
    assert "处分期" not in login(world.office).get("/members/", {"q": "张三"}).content.decode()


def test_the_member_list_names_a_refused_filter(world, login):
    page = login(world.office).get("/members/", {"year": "abc"})
    assert page.status_code == 200
    assert re.search(r'<p class="error">评议年度：[^<]+</p>', page.content.decode())
    assert '<p class="error">' not in login(world.office).get("/members/", {"year": "2025"}).content.decode()
