"""The campaign: its settings (the plan's blanks), criteria and the quota arithmetic."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.audit.memo import KeptBody
from apps.core.rows import Row, row_url
from apps.core.views_helpers import run_form
from apps.orgs.models import Organization

from . import actions
from .forms import CampaignForm, CriterionForm
from .live_quotas import branch_quotas, village_count
from .lookup import campaign_for, current_campaign
from .models import Campaign, Criterion, Target


def campaign_current(request):
    campaign = current_campaign(request)
    if campaign is None:
        if request.user.manages_town:
            return redirect("campaigns:campaign_create")
        raise Http404("本镇尚未创建示范行动。")
    return redirect("campaigns:campaign_detail", pk=campaign.pk)


def campaign_list(request):
    campaigns = Campaign.objects.visible_to(request.user).select_related("town").order_by("-year", "town__path")
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns})


def campaign_detail(request, pk: int):
    campaign = campaign_for(request, pk)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "post_criteria": campaign.criteria.filter(target=Target.POST),
            "village_criteria": campaign.criteria.filter(target=Target.VILLAGE),
            "village_quota": campaign.village_quota(village_count(campaign)),
            "can_edit": actions.can_edit_campaign(request.user, campaign),
        },
    )


def campaign_form(request, pk: int | None = None):
    campaign = campaign_for(request, pk, may=lambda u: u.manages_town) if pk else None
    if not request.user.manages_town:
        raise PermissionDenied
    town = campaign.town if campaign else request.user.town()
    if town is None and not request.user.is_admin_role:
        raise PermissionDenied("请以镇党建办账号创建示范行动。")
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)

    def save(data):
        if campaign:
            return actions.update_campaign(request.user, campaign, data)
        return actions.create_campaign(request.user, data.get("town") or town, data)

    done = run_form(request, form, save, success="已保存示范行动设置。", redirect_to=lambda c: c.get_absolute_url())
    return done or render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign, "town": town})


def campaign_quotas(request, pk: int):
    user = request.user
    show_meetings = user.is_admin_role or user.is_town_office or user.is_branch_secretary

    def values() -> dict:
        rows = quota_rows(user, campaign, show_meetings)
        return {"rows": rows, "total": sum(r.value for r in rows), "village_quota": campaign.village_quota(village_count(campaign))}

    # Counted over the town's members and drawn once while nothing audited changes (KeptBody), read with the campaign:
    # drawing a town's table through the template on every look was a fifth of the page's cost.
    body = KeptBody(request, "quotas", values, pk, show_meetings)
    campaign = campaign_for(request, pk, ahead=(body.key(),))
    return render(request, "campaigns/campaign_quotas.html", {"campaign": campaign, "show_meetings": show_meetings, "body": body})


def quota_rows(user, campaign: Campaign, show_meetings: bool) -> list[Row]:
    """The quota table as plain values (a template would call explain() and reverse a URL per row)."""
    meeting_url = row_url("meetings:branch_meeting", campaign.pk) if show_meetings else None
    return [
        Row(
            org_id=r.org.pk,
            quota=r.quota,
            name=r.org.name,
            base=r.quota.base,
            value=r.quota.value,
            explain=r.quota.explain(),
            meeting_url=meeting_url(r.org.pk) if meeting_url else "",
        )
        for r in branch_quotas(campaign, Organization.objects.visible_to(user))
    ]


def criterion_form(request, pk: int, cid: int | None = None):
    campaign = campaign_for(request, pk, may=lambda u: u.manages_town)
    criterion = None
    if cid is not None:
        criterion = Criterion.objects.filter(campaign=campaign, pk=cid).first()
        if criterion is None:
            raise Http404
    form = CriterionForm(request.POST or None, instance=criterion, initial={"target": request.GET.get("target", Target.POST)})
    done = run_form(
        request,
        form,
        lambda data: actions.save_criterion(request.user, campaign, data, criterion),
        success="已保存创建标准。",
        redirect_to=campaign.get_absolute_url(),
    )
    return done or render(request, "campaigns/criterion_form.html", {"form": form, "campaign": campaign, "criterion": criterion})


@require_POST
def criterion_delete(request, pk: int, cid: int):
    campaign = campaign_for(request, pk)
    criterion = Criterion.objects.filter(campaign=campaign, pk=cid).first()
    if criterion is None:
        raise Http404
    if not request.user.manages_town:
        raise PermissionDenied
    actions.delete_criterion(request.user, criterion)
    messages.success(request, "已删除该创建标准。")
    return redirect("campaigns:campaign_detail", pk=campaign.pk)
