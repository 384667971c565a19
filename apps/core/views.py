from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from apps.campaigns.models import Campaign

from .tasks import tasks_for


def home(request):
    """What this role should do next in the current campaign."""
    campaign = Campaign.objects.current_for(request.user)
    return render(request, "core/home.html", {"campaign": campaign, "tasks": tasks_for(request.user, campaign)})


def healthz(request):
    """A trivial response: load balancers' health check and the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")
