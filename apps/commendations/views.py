"""The campaign's commendation page: why it is blocked, the decision form (approval right) and the results."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from apps.campaigns.lookup import campaign_for
from apps.core.views_helpers import run_form
from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination

from . import actions
from .forms import CommendationForm
from .models import Commendation


def results(request, pk: int):
    campaign = campaign_for(request, pk)
    may = actions.may_commend(request.user, campaign)
    form = CommendationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may:
            raise PermissionDenied("只有镇党委审批人员可以作出表彰决定。")
        done = run_form(
            request,
            form,
            lambda d: actions.commend(request.user, campaign, d["doc_number"], d["date"]),
            success=lambda c: f"已作出表彰决定（{c.doc_number}），表彰 {c.nominations.count()} 人。",
            redirect_to=request.path,
        )
        if done:
            return done
    decision = Commendation.objects.filter(campaign=campaign).select_related("created_by").first()
    commended = Nomination.objects.filter(campaign=campaign, status=NominationStatus.COMMENDED).select_related("member", "org", "candidate")
    withdrawn = Nomination.objects.filter(campaign=campaign, status=NominationStatus.WITHDRAWN).select_related("member", "org")
    blockers = [] if decision else actions.commend_blockers(request.user, campaign)
    return render(
        request,
        "commendations/results.html",
        {
            "campaign": campaign,
            "decision": decision,
            "commended": commended.order_by("certificate_no"),
            "withdrawn": withdrawn,
            "candidates": [] if decision else actions.commendable(campaign),
            "blockers": blockers,
            "form": form if may and not decision else None,
            "may": may,
        },
        status=422 if request.method == "POST" and form.errors else 200,
    )
