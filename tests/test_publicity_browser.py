"""The public face on a phone (360×740) in real Chromium: the town's home, a notice from it, an objection
filed and checked with its tracking code; no sideways scrolling and no request leaves the server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from apps.core import clock
from apps.notices.actions import create_notice

from .browser_support import ARTIFACTS, close_connections_opened_under_playwright  # noqa: F401
from .build_notices import listed_nomination
from .build_publicity import honoured, published_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_home_notice_objection_tracking_on_a_phone(world, live_server, page: Page):
    post, village = honoured(world)
    published_story(world, nomination=post, body="<p>" + "带领群众发展茶叶产业，" * 20 + "</p>")
    listed_nomination(world.campaign, world.member2, deeds="带领群众修路架桥，" * 10)
    notice = create_notice(world.office, world.campaign, clock.today())
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.set_viewport_size({"width": 360, "height": 740})
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}/public/towns/{world.town.pk}/")
    expect(page.locator("#honour")).to_contain_text(post.member.name)
    expect(page.locator("#honour")).to_contain_text(village.org.name)
    expect(page.locator("#notices .countdown")).to_contain_text("距公示结束还有")
    expect(page.locator("svg.segno")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "public-home-360.png"), full_page=True)

    page.click(f"#notices a[href='{notice.public_path()}'] >> nth=0")
    expect(page.locator("h1")).to_contain_text("公示")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("#objection a.button")
    expect(page.locator("h1")).to_contain_text("提出异议")
    page.fill("textarea[name=text]", "反映的情况（测试）。")
    page.click("form button.primary")
    code = page.locator(".tracking-code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$"))
    page.screenshot(path=str(ARTIFACTS / "public-objection-filed-360.png"), full_page=True)
    tracking = code.inner_text()

    page.goto(live_server.url + "/public/objections/")
    page.fill("input[name=code]", tracking)
    page.click("form button.primary")
    expect(page.locator("main")).to_contain_text("调查核实中")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(ARTIFACTS / "public-tracking-360.png"), full_page=True)
    assert outside == []
