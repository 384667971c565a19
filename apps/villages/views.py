"""Pages of the 示范村 procedure (thin views over apps.villages.actions)."""

from __future__ import annotations

import functools
from datetime import date as date_type

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from apps.audit.memo import KeptBody
from apps.campaigns.live_quotas import village_count, village_quota
from apps.campaigns.lookup import campaign_for, current_campaign
from apps.campaigns.models import Campaign
from apps.core.fetch import NOT_FOUND, fetch
from apps.core.rows import Row, row_url
from apps.core.views_helpers import apply_errors, run_form
from apps.orgs.models import Organization

from . import actions
from .choices import OPEN_STATUSES, REPORTED_STATUSES, VillageStatus
from .forms import (
    DecisionForm,
    DesignationForm,
    EvidenceForm,
    FollowUpForm,
    GroupForm,
    InspectionForm,
    PlaqueForm,
    ReopenForm,
    ReviewForm,
    RevokeForm,
    ScaleForm,
    SelfAssessmentForm,
)
from .models import Evidence, Inspection, InspectionGroup, SelfAssessment, VillageCandidate, max_score
from .report import report_facts, report_text

STEPS = [
    ("designate", "镇党委确定候选村"),
    ("group", "组建督查组"),
    ("inspect", "督查组考察"),
    ("report", "考察报告定稿、报送县委组织部"),
    ("decide", "县委组织部审定、授牌"),
]

NEXT = {
    VillageStatus.DESIGNATED: "镇党建办将该村分配给督查组，督查组成员实地考察并填写考察记录",
    VillageStatus.INSPECTED: "督查组填齐各项标准的考察情况、得分、结论和签名后定稿",
    VillageStatus.FINALIZED: "镇党建办将建议命名的村报送县委组织部",
    VillageStatus.REPORTED: "县委组织部审定并登记授牌",
    VillageStatus.APPROVED: "登记授牌（牌匾编号、日期）",
    VillageStatus.NOT_APPROVED: "本年度流程结束",
}


def _candidate(request, pk, **kw):
    return fetch(request.user, VillageCandidate.objects.select_related("campaign__town", "org", "group__leader"), pk=pk, **kw)


def _attempt(request, fn, success: str) -> bool:
    try:
        fn()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _step(candidate: VillageCandidate) -> int:
    if candidate.group_id is None:
        return 2
    if candidate.status in OPEN_STATUSES:
        return 3
    if candidate.status == VillageStatus.FINALIZED:
        return 4
    return 5


def villages_current(request):
    user = request.user
    if user.is_county_reviewer or user.is_admin_role:
        campaigns = Campaign.objects.visible_to(user).select_related("town").order_by("-year", "town__path")
        rows = [(c, VillageCandidate.objects.visible_to(user).filter(campaign=c, status__in=REPORTED_STATUSES).count()) for c in campaigns]
        return render(request, "villages/towns.html", {"rows": rows})
    campaign = current_campaign(request)
    if campaign is None:
        raise Http404("尚未创建示范行动。")
    return redirect("villages:campaign_villages", pk=campaign.pk)


def campaign_villages(request, pk: int):
    """The town's candidate villages: the quota arithmetic, designation, groups, the report to the county."""
    user = request.user
    campaign = campaign_for(request, pk)
    candidates = list(
        VillageCandidate.objects.visible_to(user).filter(campaign=campaign).select_related("org", "group").order_by("org__path")
    )
    taken = VillageCandidate.objects.filter(campaign=campaign).values("org_id")
    villages = (
        Organization.objects.visible_to(user)
        .filter(path__startswith=campaign.town.path, is_active=True)
        .villages()
        .exclude(pk__in=taken)
        .order_by("path")
    )
    form = None
    if actions.may_designate(user):
        form = DesignationForm(request.POST or None, villages=villages)
        done = run_form(
            request,
            form,
            lambda d: actions.designate_villages(user, campaign, list(d["orgs"])),
            success=lambda created: f"已确定 {len(created)} 个示范村候选村。",
            redirect_to=request.path,
        )
        if done:
            return done
    elif request.method == "POST":
        raise PermissionDenied("您无权确定示范村候选村。")
    groups = InspectionGroup.objects.visible_to(user).filter(campaign=campaign).select_related("leader").prefetch_related("members")
    context = {
        "campaign": campaign,
        "quota": village_quota(campaign),
        "count": village_count(campaign),
        "designated": VillageCandidate.objects.filter(campaign=campaign).count(),
        "candidates": candidates,
        "form": form,
        "designate_blockers": actions.designate_blockers(user, campaign) if form else [],
        "groups": groups,
        "may_manage": actions.may_manage(user),
        "report_blockers": actions.report_blockers(user, campaign) if actions.may_manage(user) else [],
        "reportable": list(actions.reportable(campaign)) if actions.may_manage(user) else [],
        "scale": max_score(campaign),
        "self_assessments": SelfAssessment.objects.visible_to(user).filter(campaign=campaign).select_related("org").order_by("org__path"),
        "may_self_assess": actions.may_self_assess(user),
        "scale_form": ScaleForm(initial={"max_score": max_score(campaign)}) if actions.may_manage(user) else None,
    }
    return render(request, "villages/campaign_villages.html", context)


@require_POST
def campaign_scale(request, pk: int):
    campaign = campaign_for(request, pk, may=actions.may_manage, denied="只有镇党建办可以设置评分标准。")
    form = ScaleForm(request.POST)
    if form.is_valid():
        _attempt(request, lambda: actions.set_scale(request.user, campaign, form.cleaned_data["max_score"]), "已设置每项标准满分。")
    else:
        messages.error(request, "每项满分应为 1 到 1000 之间的整数。")
    return redirect("villages:campaign_villages", pk=campaign.pk)


def group_create(request, pk: int):
    user = request.user
    campaign = campaign_for(request, pk, may=actions.may_manage, denied="只有镇党建办可以组建督查组。")
    form = GroupForm(
        request.POST or None,
        inspectors=actions.town_inspectors(campaign),
        candidates=VillageCandidate.objects.filter(campaign=campaign, group__isnull=True).select_related("org").order_by("org__path"),
    )
    done = run_form(
        request,
        form,
        lambda d: actions.form_group(user, campaign, form.action_data()),
        success=lambda g: f"已组建“{g.name}”。",
        redirect_to=reverse("villages:campaign_villages", args=[campaign.pk]),
    )
    return done or render(request, "villages/group_form.html", {"campaign": campaign, "form": form})


@require_POST
def village_report(request, pk: int):
    campaign = campaign_for(request, pk, may=actions.may_manage, denied="只有镇党建办可以报送县委组织部。")
    _attempt(request, lambda: actions.report_villages(request.user, campaign), "已报送县委组织部。")
    return redirect("villages:campaign_villages", pk=campaign.pk)


def candidate_detail(request, pk: int):
    user = request.user
    candidate = _candidate(request, pk)
    inspection = Inspection.objects.filter(candidate=candidate).first()
    evidence = Evidence.objects.visible_to(user).filter(candidate=candidate)
    may_write = actions.in_group(user, candidate) and candidate.status in OPEN_STATUSES
    context = {
        "candidate": candidate,
        "campaign": candidate.campaign,
        "inspection": inspection,
        "findings": inspection.findings.select_related("criterion") if inspection else [],
        "facts": report_facts(candidate),
        "text": (inspection.report_text if inspection and inspection.report_text else report_text(candidate)),
        "evidence": evidence,
        "steps": STEPS,
        "step": _step(candidate),
        "next": NEXT[VillageStatus(candidate.status)],
        "may_write": may_write,
        "evidence_form": EvidenceForm() if may_write else None,
        "finalize_blockers": actions.finalize_blockers(user, candidate) if may_write else [],
        "may_reopen": actions.may_manage(user) and candidate.status == VillageStatus.FINALIZED,
        "may_withdraw": actions.may_designate(user) and not actions.withdraw_blockers(user, candidate),
        "reopen_form": ReopenForm(),
        "may_decide": actions.may_decide(user)
        and (candidate.status == VillageStatus.REPORTED or (candidate.status == VillageStatus.APPROVED and not candidate.plaque_no)),
        "decide_blockers": actions.decide_blockers(user, candidate) if actions.may_decide(user) else [],
        "max_score": max_score(candidate.campaign),
        "self_assessment": SelfAssessment.objects.visible_to(user).filter(campaign=candidate.campaign, org=candidate.org).first(),
        "criteria": {c.order: c for c in actions.village_criteria(candidate.campaign)},
    }
    return render(request, "villages/candidate_detail.html", context)


def inspection_edit(request, pk: int):
    user = request.user
    candidate = _candidate(request, pk, may=actions.may_inspect, denied="只有督查组成员可以填写考察记录。")
    actions.refuse_unless(actions.in_group(user, candidate), "只有负责该村的督查组成员可以填写考察记录。")
    criteria = list(actions.village_criteria(candidate.campaign))
    inspection = Inspection.objects.filter(candidate=candidate).first()
    initial = {"report_text": report_text(candidate)}
    if inspection:
        initial = {
            "visit_dates": ", ".join(inspection.visit_dates),
            "people_met": inspection.people_met,
            "conclusion": inspection.conclusion,
            "signatures": inspection.signatures,
            "report_text": inspection.report_text or report_text(candidate),
        }
        for f in inspection.findings.select_related("criterion"):
            initial[f"text_{f.criterion.order}"] = f.text
            initial[f"score_{f.criterion.order}"] = f.score
    form = InspectionForm(request.POST or None, initial=initial, criteria=criteria, top=max_score(candidate.campaign))
    closed = actions._write_conflict(candidate)
    if request.method == "POST" and not closed and form.is_valid():
        try:
            actions.save_inspection(user, candidate, form.action_data())
            if "generate" in request.POST:
                actions.save_inspection(user, candidate, form.action_data() | {"report_text": report_text(candidate)})
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "考察记录已保存（草稿）。")
            return redirect("villages:inspection_edit" if "generate" in request.POST else "villages:candidate_detail", pk=candidate.pk)
    if request.method == "POST" and closed:
        form.add_error(None, closed)
    return render(request, "villages/inspection_form.html", {"candidate": candidate, "form": form, "closed": closed})


@require_POST
def evidence_upload(request, pk: int):
    candidate = _candidate(request, pk, may=actions.may_inspect, denied="只有督查组成员可以上传佐证材料。")
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件（不能为空）。")
    else:
        _attempt(request, lambda: actions.upload_evidence(request.user, candidate, form.cleaned_data["file"]), "佐证材料已上传。")
    return redirect("villages:candidate_detail", pk=candidate.pk)


def evidence_download(request, pk: int):
    """Only through this view, for those who may see the village: 404 otherwise."""
    evidence = fetch(request.user, Evidence.objects.select_related("candidate"), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(NOT_FOUND) from None
    ext = evidence.file.name.rsplit(".", 1)[-1]
    response = FileResponse(handle, content_type=evidence.content_type, as_attachment=True, filename=f"佐证材料{evidence.pk}.{ext}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def evidence_delete(request, pk: int):
    evidence = fetch(
        request.user,
        Evidence.objects.select_related("candidate"),
        may=actions.may_inspect,
        denied="只有督查组成员可以删除佐证材料。",
        pk=pk,
    )
    candidate_pk = evidence.candidate_id
    _attempt(request, lambda: actions.delete_evidence(request.user, evidence), "已删除该佐证材料。")
    return redirect("villages:candidate_detail", pk=candidate_pk)


@require_POST
def withdraw(request, pk: int):
    candidate = _candidate(request, pk, may=actions.may_designate, denied="您无权撤销示范村候选。")
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if _attempt(request, lambda: actions.withdraw_candidate(request.user, candidate, reason), f"已撤销“{candidate.org}”的示范村候选。"):
        return redirect("villages:campaign_villages", pk=candidate.campaign_id)
    return redirect("villages:candidate_detail", pk=candidate.pk)


@require_POST
def finalize(request, pk: int):
    candidate = _candidate(request, pk, may=actions.may_inspect, denied="只有督查组成员可以定稿。")
    _attempt(request, lambda: actions.finalize_inspection(request.user, candidate), "考察报告已定稿。")
    return redirect("villages:candidate_detail", pk=candidate.pk)


@require_POST
def reopen(request, pk: int):
    candidate = _candidate(request, pk, may=actions.may_manage, denied="只有镇党建办可以退回考察报告。")
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _attempt(request, lambda: actions.reopen_inspection(request.user, candidate, reason), "已退回督查组修改。")
    return redirect("villages:candidate_detail", pk=candidate.pk)


def county_decision(request, pk: int):
    user = request.user
    candidate = _candidate(request, pk, may=actions.may_decide, denied="只有县委组织部可以审定示范村。")
    plaque_only = candidate.status == VillageStatus.APPROVED
    if plaque_only:
        form = PlaqueForm(request.POST or None)
        done = run_form(
            request,
            form,
            lambda d: actions.record_plaque(user, candidate, d["plaque_no"], d["plaque_date"]),
            success="已登记授牌。",
            redirect_to=candidate.get_absolute_url(),
        )
    else:
        form = DecisionForm(request.POST or None)
        done = run_form(
            request,
            form,
            lambda d: actions.decide_village(user, candidate, d["approved"], d["date"], d["note"], d["plaque_no"], d["plaque_date"]),
            success="已记录审定结果。",
            redirect_to=candidate.get_absolute_url(),
        )
    context = {
        "candidate": candidate,
        "form": form,
        "plaque_only": plaque_only,
        "blockers": actions.decide_blockers(user, candidate),
        "facts": report_facts(candidate),
    }
    return done or render(request, "villages/decision_form.html", context)


# --- the plaque registry ---------------------------------------------------------------------------------------------


def _registry_filters(request) -> tuple[str, int | None, bool]:
    from . import registry

    kind = request.GET.get("kind", "")
    kind = kind if kind in (registry.VILLAGE, registry.POST) else ""
    year = request.GET.get("year", "")
    return kind, (int(year) if year.isdigit() and len(year) == 4 else None), request.GET.get("due") == "1"


REGISTRY_PAGE = 50


def plaque_registry(request):
    from . import registry

    kind, year_value, due = _registry_filters(request)
    query = request.GET.copy()
    query.pop("page", None)
    may_revoke_village = registry.may_revoke(request.user, registry.VILLAGE)
    may_revoke_post = registry.may_revoke(request.user, registry.POST)

    def table() -> dict:
        # A county's registry: hundreds of plaques, shown REGISTRY_PAGE at a time (the Excel export holds every row).
        every = [_registry_row(p) for p in registry.plaques(request.user, kind, year_value, due)]
        page = Paginator(every, REGISTRY_PAGE).get_page(request.GET.get("page"))
        values = {"rows": page.object_list, "page": page, "this_year": actions.today().year}
        if page.object_list and (may_revoke_village or may_revoke_post):
            # The same two inputs in every row's form: rendered once here, not once per row by the form renderer.
            form = RevokeForm(auto_id=False, initial={"date": actions.today()})
            values["revoke_inputs"] = mark_safe(f"{form['date']} {form['reason']}")  # noqa: S308 - widgets rendered by Django
        return values

    context = {
        "kind": kind,
        "year": year_value or "",
        "due": due,
        "query": query.urlencode(),
        "may_revoke_village": may_revoke_village,
        "may_revoke_post": may_revoke_post,
        # The table, drawn once per audited change (apps/audit/memo.KeptBody), per query (the pager's links carry it).
        "body": KeptBody(request, "plaques", table, query.urlencode(), request.GET.get("page", "")),
    }
    return render(request, "villages/plaques.html", context)


@functools.cache
def _revoke_url(kind: str):
    return row_url("villages:revoke_village" if kind == "village" else "villages:revoke_post")


def _registry_row(p) -> Row:
    """A registry row as plain values, what the registry's kept body is drawn from (a plaque's reviews are model
    instances, several times dearer to look up in the template)."""
    last, rectifying = p.last_review, p.rectifying
    return Row(
        pk=p.pk,
        kind=p.kind,
        label=p.label,
        url=p.get_absolute_url(),
        revoke_url=_revoke_url(p.kind)(p.pk),
        number=p.number,
        year=p.year,
        town=p.town,
        holder=p.holder,
        org=p.org,
        awarded_text=p.awarded_text,
        last_review=last and Row(year=last.year, conclusion=last.conclusion),
        due=p.due,
        revoked=p.revoked,
        revocation=p.revocation and Row(date=p.revocation.date, reason=p.revocation.reason),
        rectifying=rectifying and Row(due_date=rectifying.due_date),
    )


def plaque_export(request):
    """The registry as .xlsx, with the same filters as the page and each plaque's last review."""
    from io import BytesIO

    from django.http import HttpResponse
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from apps.roster.export import neutralize

    from . import registry

    kind, year_value, due = _registry_filters(request)
    wb = Workbook()
    ws = wb.active
    ws.title = "牌匾登记"
    headers = ["类别", "编号", "授予年度", "镇", "获得者", "所在党组织", "授予日期", "状态", "最近复查年度", "最近复查结论",
               "整改期限", "本年度待复查", "摘牌日期", "摘牌原因"]  # fmt: skip
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for p in registry.plaques(request.user, kind, year_value, due):
        last = p.last_review
        conclusion = ""
        if last:
            conclusion = last.get_conclusion_display() + (f"（{last.get_follow_up_display()}）" if last.follow_up else "")
        ws.append(
            [p.label, neutralize(p.number), p.year, p.town, neutralize(p.holder), neutralize(p.org), p.awarded, p.status_label,
             last.year if last else None, conclusion, p.rectifying.due_date if p.rectifying else None, "是" if p.due else "否",
             p.revocation.date if p.revoked else None, neutralize(p.revocation.reason) if p.revoked else ""]
        )  # fmt: skip
    for col, width in zip("ABCDEFGHIJKLMN", (14, 18, 10, 16, 14, 24, 12, 12, 12, 22, 12, 12, 12, 30), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date_type):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "C2"
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="plaques-{actions.today():%Y%m%d}.xlsx"'
    return response


def _plaque_page(request, target, follow_form=None, follow_review=None):
    """One plaque: its award, its yearly reviews (with their follow-ups), its revocation, and the review form."""
    from . import registry

    user = request.user
    plaque = registry.plaque_of(target)
    may_review = registry.may_review(user, plaque.kind)
    may_revoke = registry.may_revoke(user, plaque.kind)
    form, blockers = None, []
    if may_review and not plaque.revoked:
        blockers = registry.review_blockers(user, target)
        posted = request.method == "POST" and follow_form is None
        form = ReviewForm(
            request.POST if posted else None,
            may_revoke=may_revoke,
            initial={"year": actions.today().year if plaque.due else None, "date": actions.today()},
        )
        if posted:
            done = run_form(
                request,
                form,
                lambda d: registry.record_review(user, target, d),
                success=lambda r: f"已记录{r.year}年度复查：{r.get_conclusion_display()}。",
                redirect_to=plaque.get_absolute_url(),
            )
            if done:
                return done
    elif request.method == "POST" and follow_form is None:
        raise PermissionDenied("您无权复查该牌匾。")
    rectifying = plaque.rectifying
    if rectifying and may_review and follow_form is None:
        follow_form = FollowUpForm(may_revoke=may_revoke, initial={"date": actions.today()})
    context = {
        "plaque": plaque,
        "target": target,
        "form": form,
        "blockers": blockers,
        "rectifying": rectifying,
        "follow_form": follow_form if may_review else None,
    }
    return render(request, "villages/plaque_detail.html", context)


def plaque_village(request, pk: int):
    from . import registry

    return _plaque_page(request, fetch(request.user, registry.village_plaques(), pk=pk))


def plaque_post(request, pk: int):
    from . import registry

    return _plaque_page(request, fetch(request.user, registry.post_plaques(), pk=pk))


@require_POST
def review_follow_up(request, pk: int):
    """The follow-up conclusion of a 限期整改 (kept, or 摘牌 through the revocation action)."""
    from . import registry
    from .models import PlaqueReview

    user = request.user
    review = fetch(user, PlaqueReview.objects.all(), pk=pk)
    if review.village_id:
        target = fetch(user, registry.village_plaques(), pk=review.village_id)
    else:
        target = fetch(user, registry.post_plaques(), pk=review.nomination_id)
    kind = registry.kind_of(target)
    actions.refuse_unless(registry.may_review(user, kind), "您无权记录整改复查结论。")
    form = FollowUpForm(request.POST, may_revoke=registry.may_revoke(user, kind))
    done = run_form(
        request,
        form,
        lambda d: registry.follow_up_review(user, review, d),
        success=lambda r: f"已记录整改复查结论：{r.get_follow_up_display()}。",
        redirect_to=review.get_absolute_url(),
    )
    return done or _plaque_page(request, target, follow_form=form)


def _revoke(request, target, kind: str):
    from . import registry

    form = RevokeForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: registry.revoke_plaque(request.user, target, form.cleaned_data["reason"], form.cleaned_data["date"]),
            "已摘牌。",
        )
    else:
        messages.error(request, "请写明摘牌原因和日期。")
    return redirect("villages:plaque_registry")


@require_POST
def revoke_village(request, pk: int):
    from . import registry

    target = fetch(
        request.user, VillageCandidate.objects.all(), may=lambda u: registry.may_revoke(u, registry.VILLAGE), denied="您无权摘牌。", pk=pk
    )
    return _revoke(request, target, registry.VILLAGE)


@require_POST
def revoke_post(request, pk: int):
    from apps.nominations.models import Nomination

    from . import registry

    target = fetch(
        request.user, Nomination.objects.all(), may=lambda u: registry.may_revoke(u, registry.POST), denied="您无权摘牌。", pk=pk
    )
    return _revoke(request, target, registry.POST)


# --- the village branch's self-assessment ----------------------------------------------------------------------------


def self_assessment(request, pk: int):
    user = request.user
    campaign = campaign_for(request, pk, may=actions.may_self_assess, denied="只有村党组织书记可以提交示范村自评。")
    org = Organization.objects.filter(pk=user.organization_id).first()
    existing = SelfAssessment.objects.filter(campaign=campaign, org=org).first() if org else None
    initial = {f"text_{i['order']}": i["text"] for i in existing.items} if existing else {}
    form = SelfAssessmentForm(request.POST or None, initial=initial, criteria=actions.village_criteria(campaign))
    done = run_form(
        request,
        form,
        lambda d: actions.submit_self_assessment(user, campaign, org, form.texts()),
        success="自评已提交镇党委。",
        redirect_to=request.path,
    )
    context = {
        "campaign": campaign,
        "org": org,
        "form": form,
        "existing": existing,
        "blockers": actions.self_assessment_blockers(user, campaign, org),
    }
    return done or render(request, "villages/self_assessment.html", context)
