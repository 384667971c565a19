"""A real browser on the progress board: the server-drawn chart shows under the strict CSP, the filters work,
and no console error (a CSP violation would be one)."""

from __future__ import annotations

import re

import pytest
from django.db import connections
from playwright.sync_api import Page, expect

from .build_oversight import every_state, past_deadline
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="session", autouse=True)
def _close_connections_opened_under_playwright(browser):
    yield
    connections.close_all()


def test_board_in_a_browser(world, live_server, page: Page):
    branches = every_state(world)
    past_deadline(world)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Failed to load resource" not in m.text else None)
    base = live_server.url
    page.goto(f"{base}/progress/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{base}/campaigns/{world.campaign.pk}/progress/")
    chart = page.locator(".chart-wrap svg")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 100
    expect(page.locator("tr.row-overdue").first).to_be_visible()
    page.select_option("select[name=step]", "returned")
    page.click("form.filters button")
    expect(page.locator("table.board tbody tr")).to_have_count(1)
    expect(page.locator("table.board")).to_contain_text(branches["returned"].name)
    assert errors == []
