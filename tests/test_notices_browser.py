"""The public notice on a phone (360×740) in real Chromium: readable without sideways scrolling, an objection
filed through the form returns a tracking code, and no request leaves the server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from apps.core import clock
from apps.notices.actions import create_notice

from .browser_support import ARTIFACTS, close_connections_opened_under_playwright  # noqa: F401
from .build_notices import listed_nomination

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_notice_on_a_phone(world, live_server, page: Page):
    listed_nomination(world.campaign, world.member, deeds="带领群众发展茶叶产业，" * 12)
    listed_nomination(world.campaign, world.member2)
    notice = create_notice(world.office, world.campaign, clock.today())
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + notice.public_path())
    expect(page.locator("h1")).to_contain_text("公示")
    expect(page.locator(".countdown")).to_contain_text("距公示结束还有")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "public-notice-360.png"), full_page=True)
    page.click("#objection a.button")
    expect(page.locator("h1")).to_contain_text("提出异议")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("textarea[name=text]", "反映的情况（测试）。")
    page.click("form button.primary")
    code = page.locator(".tracking-code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    tracking = code.inner_text()
    page.goto(live_server.url + "/public/objections/")
    page.fill("input[name=code]", tracking)
    page.click("form button.primary")
    expect(page.locator("main")).to_contain_text("调查核实中")
    assert outside == []
