"""The home page: what each role should do next."""

from __future__ import annotations

from django.shortcuts import render

from apps.audit.memo import KeptBody, kept_key, read_ahead, remember
from apps.campaigns.lookup import current_campaign
from apps.campaigns.models import Campaign, CampaignStatus
from apps.core import clock
from apps.core.numbers import plain
from apps.core.rows import Row, row_url
from apps.core.tasks import ordered, tasks_for


def home(request):
    """What this role should do next in the current campaign.

    Town and branch roles work in one town's campaign; a county reviewer or an administrator
    oversees every town, so they get the year's campaigns side by side instead.
    """
    user = request.user
    overseer = user.is_county_reviewer or user.is_admin_role
    # The providers' tasks kept while nothing audited changes (apps/audit/memo.py); the live ones asked every time.
    # Kept per user, not per campaign: the current campaign is the one the user, the date and the audit head
    # decide, as its own kept value is. So the two are read in one cache read.
    tasks_key = kept_key("home-tasks", user)
    if overseer:
        campaign = None
        # The year's campaigns of every town, drawn once per audited change (apps/audit/memo.KeptBody).
        towns = KeptBody(request, "year-campaigns", lambda: {"campaigns": year_campaign_rows(user)})
        read_ahead(tasks_key, towns.key())
    else:
        campaign, towns = current_campaign(request, ahead=(tasks_key,)), None
    kept = remember("home-tasks", user, lambda: tasks_for(user, campaign, live=False))
    tasks = ordered(kept + tasks_for(user, campaign, live=True))
    return render(request, "home/home.html", {"campaign": campaign, "towns": towns, "tasks": tasks})


def year_campaign_rows(user) -> list[Row]:
    """This year's campaigns of every town the user oversees, as plain values (a county's 40 rows)."""
    statuses = dict(CampaignStatus.choices)
    detail_url = row_url("campaigns:campaign_detail")
    found = Campaign.objects.visible_to(user).filter(year=clock.today().year).order_by("town__path")
    return [
        Row(
            url=detail_url(c["pk"]),
            town=c["town__name"],
            status=statuses.get(c["status"], c["status"]),
            post_percent=plain(c["post_quota_percent"]),
            village_percent=plain(c["village_quota_percent"]),
            deadline=c["deadline"].isoformat(),
        )
        for c in found.values("pk", "town__name", "status", "post_quota_percent", "village_quota_percent", "deadline")
    ]
