"""The workflow pages at county scale: with branches at every step of the procedure, the home page of each
role, the target assessment and the supervision visits run a fixed number of queries however many branches
take part (the progress board, the review, the notices and the plaque registry have their own tests)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import clock
from apps.oversight import actions as oversight

from . import build_nominations as bn
from . import factories as f
from .build_oversight import every_state


def _count(client, url: str) -> int:
    client.get(url)  # per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def _more_branches(w, n: int = 4) -> None:
    """More branches at later steps, with a supervision visit each: what grows with a county."""
    for i in range(n):
        branch = f.org(f"增加{i}村党支部", w.town)
        if i % 2:
            bn.submitted(w.office, w.campaign, branch, formal=12, recommended=1, not_recommended=0)
        else:
            bn.concluded_meeting(w.campaign, branch, formal=12, recommended=1, not_recommended=0)
        oversight.record_visit(
            w.office,
            w.campaign,
            branch,
            {
                "date": clock.today(),
                "inspectors": "督查人员",
                "findings": "会议记录不完整。",
                "items": [{"item": "补齐会议记录", "owner": "书记", "due_on": clock.today()}],
            },
        )
        f.org(f"增加{i}村党支部", w.other_town)


PAGES = {
    "home": lambda w: "/",
    "assessment": lambda w: f"/campaigns/{w.campaign.pk}/assessment/",
    "assessment export": lambda w: f"/campaigns/{w.campaign.pk}/assessment.xlsx",
    "visits": lambda w: f"/campaigns/{w.campaign.pk}/visits/",
}
ROLES = ["office", "approver", "secretary", "county_user", "inspector"]


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_workflow_pages_queries_do_not_grow_with_branches(world, login, page, who):
    every_state(world)
    oversight.seed_assessment_items(world.office, world.campaign)
    client = login(getattr(world, who))
    url = PAGES[page](world)
    if client.get(url).status_code != 200:
        pytest.skip(f"{who} may not open {page}")
    few = _count(client, url)
    _more_branches(world)
    many = _count(client, url)
    assert many == few, f"{page} as {who}: {few} queries before, {many} with 8 more branches"
