"""The proposal and the town's review in real Chromium: the secretary ticks candidates and submits, the
approver returns one with a reason and approves the other, the office forms the county list. Screenshots of
each step go to test-results/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination

from .browser_support import ARTIFACTS, close_connections_opened_under_playwright  # noqa: F401
from .build_nominations import concluded_meeting
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"nominations-{name}.png"), full_page=True)


def test_proposal_review_and_county_list(world, live_server, page: Page):
    base = live_server.url
    meeting = concluded_meeting(world.campaign, world.village, formal=20, recommended=3)  # quota 2
    day = timezone.localdate()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Failed to load resource" not in m.text else None)
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)

    log_in(page, base, "secretary")
    page.goto(f"{base}/meetings/{meeting.pk}/proposal/")
    expect(page.locator("main")).to_contain_text("正式党员 20 人 × 10% = 2")
    page.fill("input[name=committee_date]", (day - dt.timedelta(days=6)).isoformat())
    page.fill("textarea[name=committee_attendees]", "书记甲、委员乙、委员丙")
    boxes = page.locator("input[name=candidate_ids]")
    for i in range(3):
        boxes.nth(i).check()
    page.fill("textarea[name=opinion]", "同意推荐。")
    page.fill("input[name=publicity_start]", (day - dt.timedelta(days=5)).isoformat())
    page.fill("input[name=publicity_end]", (day - dt.timedelta(days=1)).isoformat())
    page.click("form.form-grid button.primary")
    expect(page.locator(".errors")).to_contain_text("超出名额")
    shot(page, "1-over-quota")
    page.locator("input[name=candidate_ids]").nth(2).uncheck()
    page.click("form.form-grid button.primary")
    expect(page.locator("main")).to_contain_text("支委会已确定推荐对象，尚未报送")
    shot(page, "2-proposal")
    page.click("text=报送镇党委 >> nth=-1")
    expect(page.locator("main")).to_contain_text("已报镇党委，审批中")

    log_in(page, base, "approver")
    page.goto(f"{base}/campaigns/{world.campaign.pk}/review/")
    expect(page.locator("main")).to_contain_text("待审批 2 名")
    shot(page, "3-review")
    first, second = page.locator("article.nomination").nth(0), page.locator("article.nomination").nth(1)
    first.locator("textarea[name=reason]").fill("请补充具体事迹")
    first.locator("button[value=return]").click()
    expect(page.locator(".messages")).to_contain_text("已审批：退回")
    second.locator("button[value=approve]").click()
    expect(page.locator(".messages")).to_contain_text("已审批：同意")

    log_in(page, base, "office")
    page.goto(f"{base}/campaigns/{world.campaign.pk}/county-list/")
    page.click("text=报送参评名单（1 名）")
    expect(page.locator(".messages")).to_contain_text("参评名单已报送县委组织部")
    shot(page, "4-county-list")
    assert Nomination.objects.filter(status=NominationStatus.LISTED).count() == 1
    assert Nomination.objects.filter(status=NominationStatus.RETURNED).count() == 1
    assert errors == [], errors  # e.g. a CSP violation
    assert [u for u in missing if not u.endswith("/favicon.ico")] == [], missing
