"""Download pages of the papers: thin views over access.py (the same scope as the page of each object) and
render.respond (PDF inline, DOCX as attachment)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import access
from .render import PDF, disposition, render, respond

PUBLIC_CACHE_SECONDS = 600


def public_url(request):
    return lambda notice: request.build_absolute_uri(reverse("notices:public_notice", args=[notice.public_id]))


@require_GET
def application(request, pk: int, fmt: str):
    return respond("application", access.application(request.user, pk), fmt)


@require_GET
def minutes(request, pk: int, fmt: str):
    return respond("minutes", access.minutes(request.user, pk), fmt)


@require_GET
def branch_list(request, pk: int, fmt: str):
    return respond("branch_list", access.branch_list(request.user, pk), fmt)


@require_GET
def county_list(request, pk: int, fmt: str):
    return respond("county_list", access.county_list(request.user, pk), fmt)


@require_GET
def notice(request, pk: int, fmt: str):
    return respond("notice", access.notice(request.user, pk, public_url(request)), fmt)


@require_GET
def commendation(request, pk: int, fmt: str):
    return respond("commendation", access.commendation(request.user, pk), fmt)


@require_GET
def certificates(request, pk: int, fmt: str):
    return respond("certificates", access.certificates(request.user, pk), fmt)


@require_GET
def village_report(request, pk: int, fmt: str):
    return respond("village_report", access.village_report(request.user, pk), fmt)


def parse_day(text: str):
    """?date=YYYY-MM-DD, or None (today); anything else is refused with a clear message."""
    import datetime as dt

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Http404("未找到该日期的通报：日期应为 YYYY-MM-DD，如 2026-06-30。") from None


@require_GET
def bulletin(request, pk: int, fmt: str):
    campaign = access.bulletin_campaign(request.user, pk)
    return respond("bulletin", access.bulletin(campaign, parse_day(request.GET.get("date", ""))), fmt)


def public_notice_pdf(request, public_id: str) -> HttpResponse:
    """The posted 公示 as a PDF (no login): rendered once and kept in the shared cache for a while, so that
    a crowd scanning the board's QR code does not make the server draw it again and again."""
    key = f"papers:public_notice:{public_id}:{request.get_host()}"
    cached = cache.get(key)
    if cached is None:
        paper = access.public_notice(public_id, public_url(request))
        cached = (f"{paper.filename}.pdf", render(paper, "pdf"))
        cache.set(key, cached, PUBLIC_CACHE_SECONDS)
    filename, body = cached
    response = HttpResponse(body, content_type=PDF)
    response["Content-Disposition"] = disposition(filename, inline=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


public_notice = login_not_required(require_GET(public_notice_pdf))


@require_GET
def applications_zip(request, pk: int):
    """Every 申报表 of the town (or of one branch: ?org=<id>) the user may see, one PDF each, in a zip."""
    org = request.GET.get("org", "")
    if org and not org.isdigit():
        raise Http404("未找到该党组织。")
    campaign, name, nominations = access.batch_nominations(request.user, pk, int(org) if org else None)
    if not nominations:
        raise Http404("未找到可打印的申报表。")
    response = HttpResponse(access.applications_zip(nominations), content_type="application/zip")
    response["Content-Disposition"] = disposition(f"申报表-{name}-{campaign.year}.zip")
    return response
