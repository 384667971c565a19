"""The home page: what each role should do next."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render

from apps.audit.chain import head_mark
from apps.campaigns.models import Campaign
from apps.core.tasks import tasks_for


def home(request):
    """What this role should do next in the current campaign.

    Town and branch roles work in one town's campaign; a county reviewer or an administrator
    oversees every town, so they get the year's campaigns side by side instead.
    """
    user = request.user
    generation = head_mark()  # before anything the tasks are computed from (apps/core/tasks.py)
    overseer = user.is_county_reviewer or user.is_admin_role
    campaign = None if overseer else Campaign.objects.current_for(user)
    campaigns = (
        Campaign.objects.visible_to(user).filter(year=dt.date.today().year).select_related("town").order_by("town__path")
        if overseer
        else []
    )
    return render(request, "home/home.html", {"campaign": campaign, "campaigns": campaigns, "tasks": tasks_for(user, campaign, generation)})
