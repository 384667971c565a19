"""The 公示: the town office's pages (post a notice, objections, investigation, conclusion) and the public
pages without login (the notice, its objection form, the tracking page)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.audit.memo import KeptBody
from apps.campaigns.lookup import campaign_for, current_campaign
from apps.campaigns.models import Campaign
from apps.core import clock
from apps.core.fetch import fetch
from apps.core.rows import Row, row_url
from apps.core.views_helpers import apply_errors, client_ip, run_form
from apps.nominations.choices import NominationStatus
from apps.publicity.freshness import cached, notice_generation, page_response, public_page

from . import actions
from .choices import ObjectionStatus
from .forms import ConcludeForm, NoteForm, NoticeForm, PublicObjectionForm, RecordObjectionForm, TrackingForm
from .models import Notice, Objection
from .ratelimit import allow

DENIED = "只有镇党建办可以处理公示和异议。"


def _office(user) -> bool:
    return user.manages_town


def public_entries(notice: Notice):
    """What a notice shows: name, branch, post, deeds. Never ID number, phone or birth date. A nomination
    withdrawn after an upheld objection stays on the notice it was posted on, marked as withdrawn."""
    rows = notice.nominations.select_related("member", "org", "candidate").order_by("org__path", "pk")
    return [
        {
            "nomination_id": n.pk,
            "name": n.member.name,
            "branch": n.org.name,
            "post": n.candidate.post,
            "deeds": n.candidate.deeds,
            "withdrawn": n.status == NominationStatus.WITHDRAWN,
        }
        for n in rows
    ]


# --- town office ------------------------------------------------------------------------------------------------


def notices_current(request):
    campaign = current_campaign(request)
    if campaign is None:
        raise Http404("尚未创建示范行动。")
    return redirect("notices:notice_list", pk=campaign.pk)


def notice_list(request, pk: int):
    # The tables and the form, drawn once per audited change (apps/audit/memo.KeptBody) and read with the campaign;
    # after a refused POST afresh, with the bound form.
    body = KeptBody(request, "notice-list", lambda: {"form": form if may_post else None, **_notice_facts(request.user, campaign)}, pk)
    campaign = campaign_for(request, pk, ahead=(body.key(),))
    may_post = actions.may_manage_notices(request.user)  # the campaign came through the user's scope; the action checks both
    form = NoticeForm(request.POST if request.method == "POST" else None, initial={"start": clock.today()})
    if request.method == "POST":
        if not may_post:
            raise PermissionDenied(DENIED)
        done = run_form(
            request,
            form,
            lambda d: actions.create_notice(request.user, campaign, d["start"]),
            success=lambda n: f"已发布公示：{n.start:%Y年%m月%d日}至{n.end:%Y年%m月%d日}。",
            redirect_to=lambda n: n.get_absolute_url(),
        )
        if done:
            return done
    return render(request, "notices/notice_list.html", {"campaign": campaign, "may_post": may_post, "body": body})


def _notice_facts(user, campaign: Campaign) -> dict:
    """The notice page's tables as plain values (apps.core.rows), what its kept body is drawn from."""
    today = clock.today()
    detail_url = row_url("notices:notice_detail")
    notices = campaign.notices.prefetch_related("nominations__member").order_by("-start", "-pk")
    return {
        "notices": [
            Row(
                start=n.start,
                end=n.end,
                names="、".join(nom.member.name for nom in n.nominations.all()),
                phase=n.phase(today),
                days_left=n.days_left(today),
                warnings=n.warnings,
                public_path=n.public_path(),
                detail_url=detail_url(n.pk),
            )
            for n in notices
        ],
        "pending": [
            Row(name=n.member.name, org_name=n.org.name) for n in actions.pending_nominations(campaign).select_related("member", "org")
        ],
        "blockers": actions.create_notice_blockers(user, campaign),
    }


def notice_detail(request, pk: int):
    notice = fetch(request.user, Notice.objects.select_related("campaign__town"), pk=pk, may=_office, denied=DENIED)
    objections = list(notice.objections.select_related("nomination__member"))
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "campaign": notice.campaign,
            "entries": public_entries(notice),
            "objections": objections,
            "open_count": sum(1 for o in objections if o.status == ObjectionStatus.OPEN),
            "public_url": request.build_absolute_uri(notice.public_path()),
        },
    )


def objection_list(request, pk: int):
    # The objections and the recording form, drawn once per audited change (apps/audit/memo.KeptBody) and read
    # with the campaign; after a refused POST afresh, with the bound form.
    body = KeptBody(request, "objection-list", lambda: values(), pk)
    campaign = campaign_for(request, pk, may=_office, denied=DENIED, ahead=(body.key(),))
    posted = None
    if request.method == "POST":
        facts = _objection_facts(campaign)
        form = RecordObjectionForm(request.POST, choices=facts["choices"])

        def save(d):
            return actions.record_objection(
                request.user,
                campaign.notices.get(pk=d["notice"]),
                text=d["text"],
                received_on=d["received_on"],
                channel=d["channel"],
                nomination_id=d["nomination"],
                name=d["name"],
                contact=d["contact"],
            )

        done = run_form(request, form, save, success="已登记该异议。", redirect_to=lambda o: o.get_absolute_url())
        if done:
            return done
        posted = facts, form

    def values() -> dict:
        if posted:
            facts, form = posted
        else:
            facts = _objection_facts(campaign)
            form = RecordObjectionForm(None, choices=facts["choices"])
        objections = facts["objections"]
        return {
            "objections": objections,
            "open_count": sum(1 for o in objections if o.status == ObjectionStatus.OPEN),
            "form": form if facts["choices"][0] else None,
        }

    return render(request, "notices/objection_list.html", {"campaign": campaign, "body": body})


def _objection_facts(campaign: Campaign) -> dict:
    """The objections as plain values and the recording form's choices; read afresh on a POST."""
    notices = list(campaign.notices.prefetch_related("nominations__member", "nominations__org"))
    detail_url = row_url("notices:objection_detail")
    objections = Objection.objects.filter(notice__campaign=campaign).select_related("nomination__member")
    return {
        "choices": RecordObjectionForm.choices_for(notices),
        "objections": [
            Row(
                url=detail_url(o.pk),
                received_on=o.received_on,
                channel=o.get_channel_display(),
                nominee=o.nomination.member.name if o.nomination else "",
                name=o.name,
                status=o.status,
                outcome=o.outcome,
            )
            for o in objections
        ],
    }


def _objection(request, pk: int) -> Objection:
    return fetch(
        request.user, Objection.objects.select_related("notice__campaign__town", "nomination__member"), pk=pk, may=_office, denied=DENIED
    )


def objection_detail(request, pk: int, note_form=None, conclude_form=None):
    objection = _objection(request, pk)
    is_open = objection.status == ObjectionStatus.OPEN
    return render(
        request,
        "notices/objection_detail.html",
        {
            "objection": objection,
            "campaign": objection.notice.campaign,
            "notes": objection.notes.select_related("written_by"),
            "note_form": (note_form or NoteForm()) if is_open else None,
            "conclude_form": (conclude_form or ConcludeForm(objection=objection)) if is_open else None,
        },
    )


@require_POST
def objection_note(request, pk: int):
    objection = _objection(request, pk)
    form = NoteForm(request.POST)
    done = run_form(
        request,
        form,
        lambda d: actions.add_investigation_note(request.user, objection, d["text"]),
        success="已保存核实记录。",
        redirect_to=objection.get_absolute_url(),
    )
    return done or objection_detail(request, pk, note_form=form)


@require_POST
def objection_conclude(request, pk: int):
    objection = _objection(request, pk)
    form = ConcludeForm(request.POST, objection=objection)
    done = run_form(
        request,
        form,
        lambda d: actions.conclude_objection(request.user, objection, d["outcome"], d["conclusion"], d.get("nomination")),
        success="该异议已办结。",
        redirect_to=objection.get_absolute_url(),
    )
    return done or objection_detail(request, pk, conclude_form=form)


# --- public -----------------------------------------------------------------------------------------------------


def _public_notice(public_id: str) -> Notice:
    notice = Notice.objects.select_related("campaign__town").filter(public_id=public_id).first()
    if notice is None:
        raise Http404("未找到该公示。")
    return notice


def _public_notice_page(public_id: str) -> bytes:
    """The notice as every visitor sees it: public data only (names, branches, posts, deeds, the period), nothing
    of the visitor's. It holds no form: the objection form is a page of its own (public_objection), so a crowd
    reading the notice is served the same bytes without a CSRF cookie for each of them."""
    notice = _public_notice(public_id)
    context = {
        "notice": notice,
        "campaign": notice.campaign,
        "entries": public_entries(notice),
        "phase": notice.phase(),
        "days_left": notice.days_left(),
        "closed_reasons": actions.file_objection_blockers(notice),
    }
    return public_page("notices/public_notice.html", context)


@login_not_required
@require_safe
def public_notice(request, public_id: str):
    """Kept whole in the shared cache for a minute at most, per day (the countdown); a nomination withdrawn after
    an upheld objection makes it stale at once (apps/notices/actions.py conclude_objection)."""
    key = f"notices:public-page:{public_id}:{timezone.localdate().isoformat()}"
    page = cached(key, [notice_generation(public_id)], lambda: _public_notice_page(public_id))
    return page_response(request, page)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def public_objection(request, public_id: str):
    """Filing an objection to a notice (named or anonymous): the form, then the tracking code, shown once."""
    notice = _public_notice(public_id)
    nominations = notice.nominations.select_related("member", "org").order_by("org__path", "pk")
    form = PublicObjectionForm(request.POST if request.method == "POST" else None, nominations=nominations)
    tracking_code = None
    if request.method == "POST" and form.is_valid():
        if not allow("objection", client_ip(request)):
            form.add_error(None, "提交过于频繁，请一小时后再试，或直接与镇党建办联系。")
        else:
            try:
                _, tracking_code = actions.file_objection(
                    notice,
                    form.cleaned_data["text"],
                    name=form.cleaned_data["name"],
                    contact=form.cleaned_data["contact"],
                    nomination_id=form.cleaned_data["nomination"],
                )
            except actions.ActionError as exc:
                apply_errors(form, exc)
    context = {
        "notice": notice,
        "campaign": notice.campaign,
        "closed_reasons": actions.file_objection_blockers(notice),  # outside the period: why, instead of the form
        "form": None if tracking_code else form,
        "tracking_code": tracking_code,
    }
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "notices/public_objection.html", context, status=status)


@login_not_required
def public_tracking(request):
    form = TrackingForm(request.POST if request.method == "POST" else None)
    objection = None
    searched = False
    if request.method == "POST" and form.is_valid():
        searched = True
        if not allow("tracking", client_ip(request), limit=30):
            form.add_error(None, "查询过于频繁，请稍后再试。")
        else:
            objection = actions.find_by_tracking_code(form.cleaned_data["code"])
    return render(request, "notices/public_tracking.html", {"form": form, "objection": objection, "searched": searched})
