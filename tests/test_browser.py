"""A real browser against a real server: the login form, the htmx member search, scope, revealing an ID number."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from apps.audit.models import AuditLog

from .browser_support import close_connections_opened_under_playwright  # noqa: F401
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/members/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{base}/members/")  # back where the login wall interrupted


def test_secretary_searches_its_own_branch_and_is_kept_out_of_others(world, live_server, page: Page):
    base = live_server.url
    log_in(page, base, "secretary")
    table = page.locator("#member-table")
    expect(table).to_contain_text("张三")
    expect(table).to_contain_text("李四")
    for outsider in ("王五", "赵六", "钱七"):
        expect(table).not_to_contain_text(outsider)
    expect(table).to_contain_text(world.member.masked_id)
    expect(table).not_to_contain_text(world.member.id_number)

    page.fill("input[name=q]", "张")  # htmx swaps the table in place as the user types
    expect(table).not_to_contain_text("李四")
    expect(table).to_contain_text("张三")
    expect(page).to_have_url(re.compile(r"/members/\?.*q=%E5%BC%A0"))  # hx-push-url keeps the filter in the address

    page.goto(f"{base}/members/{world.member2.pk}/")
    expect(page.locator("h1")).to_contain_text("404")
    expect(page.locator("main")).to_contain_text("未找到")
    expect(page.locator("main")).not_to_contain_text("王五")


def test_town_office_reveals_an_id_number(world, live_server, page: Page):
    base = live_server.url
    log_in(page, base, "office")
    page.goto(f"{base}/members/{world.member.pk}/")
    pii = page.locator("#pii")
    expect(pii).to_contain_text(world.member.masked_id)
    expect(pii).not_to_contain_text(world.member.id_number)
    page.get_by_role("button", name="显示完整号码").click()
    expect(pii).to_contain_text(world.member.id_number)
    expect(pii).to_contain_text(world.member.phone)
    expect(pii).to_contain_text("已记入审计日志")
    expect(page).to_have_url(f"{base}/members/{world.member.pk}/")  # swapped in place, no page load
    assert AuditLog.objects.filter(action="member.reveal", actor=world.office, target_id=str(world.member.pk)).count() == 1
