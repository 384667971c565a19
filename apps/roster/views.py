"""Upload → preview → confirm (or cancel) of a roster import, and the .xlsx exports."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from apps.core.fetch import fetch
from apps.orgs.models import Appraisal, Member, Organization

from . import actions
from .choices import ImportKind, RowStatus
from .columns import APPRAISAL_COLUMNS, MEMBER_COLUMNS
from .export import export_name, write_appraisals, write_members, write_plan
from .filters import filtered_members
from .forms import UploadForm
from .import_scope import import_scope
from .models import ImportBatch
from .plan import Plan, build_plan
from .reader import RosterFileError, too_large_message
from .uploads import SizeLimitHandler

PREVIEW_PAGE = 100
MISSING_SHOWN = 1000


def _require_manager(user) -> None:
    if not user.manages_members:
        raise PermissionDenied("您无权导入党员名册。")


@csrf_exempt
def import_upload(request):
    """The upload handlers must be in place before anything reads the body, CSRF check included."""
    if request.method == "POST":
        request.upload_handlers.insert(0, SizeLimitHandler(request))
    return _import_upload(request)


@csrf_protect
def _import_upload(request):
    _require_manager(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        too_large = getattr(request, "roster_upload_too_large", False)
        if form.is_valid() and not too_large:
            upload = form.cleaned_data["file"]
            data = form.cleaned_data
            try:
                scope = import_scope(request.user, data["scope"])
                year = data["year"] if data["kind"] == ImportKind.APPRAISALS else None
                plan = build_plan(upload, upload.name, upload.size, kind=data["kind"], scope=scope, year=year)
            except RosterFileError as exc:
                form.add_error("file", str(exc))
            else:
                batch = actions.save_preview(request.user, plan, scope)
                return redirect("roster:import_preview", pk=batch.pk)
            finally:
                upload.close()  # a temporary upload file is deleted here, not kept
        if too_large:
            form.errors["file"] = form.error_class([too_large_message(int(request.META.get("CONTENT_LENGTH") or 0))])
    recent = ImportBatch.objects.visible_to(request.user).defer("payload").select_related("scope")[:10]
    return render(
        request,
        "roster/import_form.html",
        {"form": form, "recent": recent, "member_columns": MEMBER_COLUMNS, "appraisal_columns": APPRAISAL_COLUMNS},
        status=400 if form.errors else 200,
    )


def import_preview(request, pk: int):
    batch = fetch(request.user, ImportBatch.objects.defer("payload").select_related("scope"), pk=pk)
    plan = _open_plan(batch)
    if plan is None:
        return render(request, "roster/import_done.html", {"batch": batch})
    counts = plan.counts
    show = request.GET.get("show") or ("error" if counts[RowStatus.ERROR] else "all")
    rows = plan.rows if show == "all" else [r for r in plan.rows if r.status == show]
    page = Paginator(rows, PREVIEW_PAGE).get_page(request.GET.get("page"))
    tabs = [("all", "全部", counts["total"])] + [(s, label, counts[s]) for s, label in RowStatus.choices if counts[s]]
    return render(
        request,
        "roster/import_preview.html",
        {
            "batch": batch,
            "plan": plan,
            "missing": plan.missing[:MISSING_SHOWN],
            "counts": counts,
            "page": page,
            "show": show,
            "query": f"show={show}",
            "tabs": tabs,
            "is_members": plan.kind == ImportKind.MEMBERS,
            "can_apply": not counts[RowStatus.ERROR] and (counts[RowStatus.NEW] or counts[RowStatus.CHANGED] or plan.missing),
        },
    )


def _open_plan(batch: ImportBatch) -> Plan | None:
    """The previewed rows, or None once the import is over (applied, cancelled, expired)."""
    if not batch.is_open:
        return None
    try:
        return batch.plan()
    except ValidationError:
        return None


@require_POST
def import_confirm(request, pk: int):
    batch = fetch(request.user, ImportBatch.objects.defer("payload"), pk=pk)
    if not batch.is_open:
        messages.error(request, f"该导入{batch.get_status_display()}，不能再确认。")
        return redirect("roster:import_preview", pk=batch.pk)
    transfer = {int(v) for v in request.POST.getlist("transfer") if v.isdigit()}
    try:
        result = actions.apply_import(request.user, batch.plan(), mark_transferred=transfer, batch=batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已导入“{batch.file_name}”：{result.summary(batch.kind)}")
    return redirect("roster:import_preview", pk=batch.pk)


@require_POST
def import_cancel(request, pk: int):
    batch = fetch(request.user, ImportBatch.objects.defer("payload"), pk=pk)
    actions.cancel_import(request.user, batch)
    messages.success(request, f"已取消导入“{batch.file_name}”，未写入任何数据。")
    return redirect("roster:import_upload")


def import_result(request, pk: int):
    """The preview's result list as .xlsx (IDs masked), to fix the file in Excel row by row."""
    batch = fetch(request.user, ImportBatch.objects.defer("payload"), pk=pk)
    plan = _open_plan(batch)
    if plan is None:
        raise PermissionDenied("该导入已结束，检查结果已删除。")
    show = request.GET.get("show", "all")
    rows = plan.rows if show == "all" else [r for r in plan.rows if r.status == show]
    return _xlsx(lambda out: write_plan(out, plan, rows), f"检查结果_{plan.file_name.rsplit('.', 1)[0]}")


def template_download(request):
    """An empty roster with the headers the import reads."""
    _require_manager(request.user)
    return _xlsx(lambda out: write_members(out, Member.objects.none(), full=False, what="党员花名册导入模板"), "党员花名册导入模板")


def export_members(request):
    """GET: the filtered member list with masked IDs. POST full=1: complete IDs and phones, audit-logged."""
    _refuse_inspectors(request.user)
    full = request.method == "POST"
    params = QueryDict(request.POST.get("query", "")) if full else request.GET
    if full and not request.user.manages_members:
        raise PermissionDenied("您无权导出完整身份证号。")
    members, what = filtered_members(request.user, params)
    town = request.user.town() if not request.user.is_admin_role else None

    def write(out):
        count = write_members(out, members, full=full, what=what)
        actions.record_export(request.user, count=count, what=what, full=full, town=town)

    return _xlsx(write, "党员名册" + ("_完整" if full else ""))


def export_appraisals(request):
    _refuse_inspectors(request.user)
    full = request.method == "POST"
    params = QueryDict(request.POST.get("query", "")) if full else request.GET
    if full and not request.user.manages_members:
        raise PermissionDenied("您无权导出完整身份证号。")
    appraisals = Appraisal.objects.visible_to(request.user)
    what = "民主评议结果"
    year = params.get("year", "")
    if year.isdigit():
        appraisals = appraisals.filter(year=int(year))
        what = f"{year}年度民主评议结果"
    branch_id = params.get("branch", "")
    if branch_id.isdigit():
        branch = fetch(request.user, Organization.objects, pk=int(branch_id))
        appraisals = appraisals.filter(member__branch__path__startswith=branch.path)
        what = f"{branch}{what}"
    town = request.user.town() if not request.user.is_admin_role else None

    def write(out):
        count = write_appraisals(out, appraisals, full=full, what=what)
        actions.record_export(request.user, count=count, what=what, full=full, town=town)

    return _xlsx(write, what + ("_完整" if full else ""))


def _refuse_inspectors(user) -> None:
    if user.is_inspector:
        # As on the member list: inspectors work on villages, not on member records.
        raise PermissionDenied("督查组成员无权导出党员信息。")


def _xlsx(write, name: str) -> FileResponse:
    """Write to a temporary file (deleted when the response is closed) and send it."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    write(out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=export_name(name),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
