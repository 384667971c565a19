"""The member edit page shows the ID number and phone masked, as the detail page does: seeing them in full
is the audited "reveal". The masked value posted back unchanged keeps the stored number; a new full value
goes through the same checks as ever; the optional phone can be cleared."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
from django.forms.models import model_to_dict

from apps.audit.models import AuditLog
from apps.core.idcard import make_id, mask_id, mask_phone
from apps.orgs.audit import OrgAudit
from apps.orgs.forms import MemberForm
from apps.orgs.models import Member

# What the privacy scans look for: an 18-character ID number, an 11-digit mobile number.
FULL_ID = re.compile(r"(?<![\dX])\d{17}[\dX](?![\dX])")
FULL_PHONE = re.compile(r"(?<!\d)1\d{10}(?!\d)")
KEPT_HINT = "不修改则保留原号码"


def edit_url(member: Member) -> str:
    return f"/members/{member.pk}/edit/"


def input_value(page: str, name: str) -> str:
    tag = re.search(rf'<input\b[^>]*\bname="{name}"[^>]*>', page).group(0)
    value = re.search(r'\bvalue="([^"]*)"', tag)
    return html.unescape(value.group(1)) if value else ""


def page_data(client, member: Member) -> dict[str, str]:
    """What the edit page posts back when nothing is touched: the record's fields, the ID and phone as the
    page shows them."""
    page = client.get(edit_url(member)).content.decode()
    data = {}
    for key, value in model_to_dict(member, fields=[f for f in MemberForm._meta.fields if f != "branch"]).items():
        data[key] = "" if value is None else value.isoformat() if isinstance(value, dt.date) else value
    data["id_number"] = input_value(page, "id_number")
    data["phone"] = input_value(page, "phone")
    return data


def another_valid_id(member: Member) -> str:
    """A valid number with the member's birth date and gender (so the page's other fields still agree)."""
    seq = 898 if member.gender == "女" else 899
    number = make_id("369902", member.birth_date, seq)
    assert number != member.id_number
    return number


def update_rows(member: Member):
    return AuditLog.objects.filter(action=OrgAudit.MEMBER_UPDATE, target_id=str(member.pk))


@pytest.mark.parametrize("role", ["office", "secretary"])
def test_the_edit_page_shows_the_numbers_masked_and_logs_nothing(world, login, role):
    member = world.member
    client = login(getattr(world, role))
    before = AuditLog.objects.count()
    response = client.get(edit_url(member))
    assert response.status_code == 200
    page = response.content.decode()
    assert not FULL_ID.findall(page), FULL_ID.findall(page)
    assert not FULL_PHONE.findall(page), FULL_PHONE.findall(page)
    assert member.id_number not in page and member.phone not in page
    assert input_value(page, "id_number") == mask_id(member.id_number) == "369901********" + member.id_number[-4:]
    assert input_value(page, "phone") == mask_phone(member.phone)
    assert KEPT_HINT in page
    assert AuditLog.objects.count() == before


def test_the_masked_values_posted_back_keep_the_stored_numbers(world, login):
    member = world.member
    stored_id, stored_phone = member.id_number, member.phone
    client = login(world.secretary)
    data = page_data(client, member) | {"post": "村民小组长"}
    assert "*" in data["id_number"] and "*" in data["phone"]
    response = client.post(edit_url(member), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert (member.id_number, member.phone, member.post) == (stored_id, stored_phone, "村民小组长")
    row = update_rows(member).get()
    assert set(row.changes) == {"工作岗位/职务"}, row.changes


def test_the_page_posted_back_untouched_changes_nothing_and_logs_nothing(world, login):
    member = world.member
    client = login(world.office)
    response = client.post(edit_url(member), page_data(client, member))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not update_rows(member).exists()
    assert Member.objects.get(pk=member.pk).id_number == member.id_number


def test_a_new_full_id_number_replaces_the_stored_one_and_is_logged_masked(world, login):
    member = world.member
    old = member.id_number
    new = another_valid_id(member)
    client = login(world.office)
    response = client.post(edit_url(member), page_data(client, member) | {"id_number": " ".join([new[:6], new[6:14], new[14:]])})
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.id_number == new
    row = update_rows(member).get()
    assert row.changes["公民身份号码"] == [mask_id(old), mask_id(new)]
    logged = json.dumps(row.changes, ensure_ascii=False) + row.note
    assert old not in logged and new not in logged
    assert "联系电话" not in row.changes


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (lambda m: m.id_number[:17] + ("0" if m.id_number[17] != "0" else "1"), "公民身份号码校验位错误。"),
        (lambda m: m.id_number[:10], "公民身份号码应为18位，当前为10位。"),
        (lambda m: "369901******" + "12" + m.id_number[-4:], "请保留脱敏显示的原号码不变，或输入完整的新号码。"),
        (lambda m: "", "请填写公民身份号码。"),
    ],
    ids=["check-digit", "length", "edited-mask", "empty"],
)
def test_a_wrong_id_number_is_refused_in_chinese_and_nothing_is_saved(world, login, typed, message):
    member = world.member
    client = login(world.office)
    before = AuditLog.objects.count()
    response = client.post(edit_url(member), page_data(client, member) | {"id_number": typed(member), "post": "新岗位"})
    assert response.status_code == 200
    assert message in response.content.decode()
    stored = Member.objects.get(pk=member.pk)
    assert (stored.id_number, stored.post) == (member.id_number, member.post)
    assert AuditLog.objects.count() == before


def test_the_id_number_of_another_active_member_is_refused(world, login):
    member, other = world.member, world.probationary
    client = login(world.office)
    response = client.post(edit_url(member), page_data(client, member) | {"id_number": other.id_number})
    assert response.status_code == 200
    assert "该身份证号已登记为在册党员" in response.content.decode()
    assert Member.objects.get(pk=member.pk).id_number == member.id_number


def test_a_new_phone_replaces_it_a_bad_one_is_refused_and_clearing_clears_it(world, login):
    member = world.member
    client = login(world.secretary)
    response = client.post(edit_url(member), page_data(client, member) | {"phone": "199****0000"})
    assert response.status_code == 200 and "请保留脱敏显示的原号码不变" in response.content.decode()
    assert Member.objects.get(pk=member.pk).phone == member.phone

    response = client.post(edit_url(member), page_data(client, member) | {"phone": "138-0000-1234"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Member.objects.get(pk=member.pk).phone == "13800001234"
    row = update_rows(member).get()
    assert row.changes["联系电话"] == [mask_phone(member.phone), mask_phone("13800001234")]

    response = client.post(edit_url(member), page_data(client, member) | {"phone": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Member.objects.get(pk=member.pk).phone == ""


def test_a_member_without_a_phone_keeps_an_empty_field(world, login):
    member = world.member
    Member.objects.filter(pk=member.pk).update(phone="")
    member.refresh_from_db()
    client = login(world.office)
    data = page_data(client, member)
    assert data["phone"] == ""
    assert client.post(edit_url(member), data).status_code == 302
    assert Member.objects.get(pk=member.pk).phone == ""


def test_the_new_member_form_still_takes_the_full_numbers(world, login):
    number = make_id("369903", dt.date(1990, 3, 4), 11)
    form = MemberForm(
        {"name": "周新", "id_number": number, "phone": "13900001111", "ethnicity": "汉族", "category": "formal"}
        | {"joined_on": "2015-07-01", "confirmed_on": "2016-07-01", "branch": world.village.pk},
        user=world.office,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == number and form.cleaned_data["phone"] == "13900001111"
    assert not MemberForm(user=world.office)["id_number"].value()
