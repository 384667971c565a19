"""The voter's page on a phone (360×740, as in WeChat's browser) in real Chromium: the QR link fills in the
code, at most max-choices boxes can be ticked, one submit, no sideways scrolling, no request leaves the server;
and the A4 slips page as printed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from apps.meetings import actions
from apps.meetings.models import Ballot

from . import build_meetings as b
from .browser_support import ARTIFACTS, close_connections_opened_under_playwright  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_voter_on_a_phone(world, live_server, page: Page):
    m, cands = b.ready_meeting(world, voters=20, candidates=3)  # quota 2
    rnd, codes = actions.open_poll(world.secretary, m)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/vote/?code={codes[0]}")
    boxes = page.locator("input[name=choice]")
    expect(boxes).to_have_count(3)
    boxes.nth(0).check()
    boxes.nth(1).check()
    expect(boxes.nth(2)).to_be_disabled()  # max choices reached
    expect(page.locator(".vote-left")).to_have_text("已选 2 人。")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "vote-360.png"), full_page=True)
    page.click("button.vote-submit")
    expect(page.locator("h1")).to_have_text("投票成功")
    assert Ballot.objects.get().choices == sorted([cands[0].pk, cands[1].pk])
    page.go_back()
    page.goto(f"{live_server.url}/vote/?code={codes[0]}")
    expect(page.locator(".errors")).to_contain_text("已使用")
    page.goto(f"{live_server.url}/vote/")
    page.fill("input[name=code]", codes[1].lower().replace("-", " "))
    page.click("form button.primary")
    expect(page.locator("input[name=choice]")).to_have_count(3)
    assert outside == []


def test_secretary_opens_the_poll_and_prints_the_slips(world, live_server, page: Page):
    from .test_browser import log_in

    m, cands = b.ready_meeting(world, voters=10, candidates=2)
    page.set_viewport_size({"width": 1000, "height": 900})
    log_in(page, live_server.url, "secretary")
    page.goto(f"{live_server.url}/meetings/{m.pk}/poll/open/")
    page.click("form button.primary")
    slips = page.locator(".slip")
    expect(slips).to_have_count(10)
    expect(slips.nth(0).locator("svg")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ballot-slips-print.png"), full_page=True)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/meetings/{m.pk}/poll/")
    expect(page.locator(".big-count")).to_have_text("已投 0 / 共 10 张")
