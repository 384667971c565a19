"""The progress board (per campaign; the county's town-by-town summary), its .xlsx export, and the supervision
visits. Thin views over apps.oversight.progress and apps.oversight.actions."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from apps.audit.memo import KeptBody, remember
from apps.campaigns.lookup import campaign_for, current_campaign
from apps.campaigns.models import Campaign
from apps.core.actions import ActionError
from apps.core.fetch import fetch
from apps.core.rows import Row, row_url
from apps.core.views_helpers import run_form
from apps.orgs.choices import OrgKind

from . import actions
from .assessment import campaign_ranking
from .charts import steps_chart
from .choices import COLUMNS, NOT_SUBMITTED, ORDER, Step
from .forms import AssessmentItemForm, CloseForm, ManualScoreForm, RectificationForm, VisitForm
from .models import AssessmentItem, AssessmentSource, Notification, Rectification, SupervisionVisit, unread_count
from .progress import campaign_rows, load_rows, step_counts, summary, today

STATUS_FILTERS = {
    "overdue": "逾期未报送",
    "not_submitted": "未报送",
    "rectification": "有未销号整改事项",
    "done": "已表彰",
}


def may_see_board(user) -> bool:
    return not user.is_inspector


def filter_rows(rows, params) -> tuple[list, dict]:
    """Rows kept by the kind / step / status filters of the query string; unknown values are ignored."""
    kind, step, status = params.get("kind", ""), params.get("step", ""), params.get("status", "")
    if kind in OrgKind.values:
        rows = [r for r in rows if r.org.kind == kind]
    else:
        kind = ""
    if step in Step.values:
        rows = [r for r in rows if r.progress.step == step]
    else:
        step = ""
    if status == "overdue":
        rows = [r for r in rows if r.progress.overdue]
    elif status == "not_submitted":
        rows = [r for r in rows if r.progress.step in NOT_SUBMITTED]
    elif status == "rectification":
        rows = [r for r in rows if r.facts and r.facts.open_rectifications]
    elif status == "done":
        rows = [r for r in rows if r.progress.step == Step.COMMENDED]
    else:
        status = ""
    return rows, {"kind": kind, "step": step, "status": status}


def _campaign(request, pk, ahead: tuple = ()):
    return campaign_for(request, pk, may=may_see_board, denied="督查组成员只查看示范村考察任务。", ahead=ahead)


def board_current(request):
    """Town users go to their campaign's board; the county (and the administrator) get the town-by-town summary."""
    user = request.user
    if user.is_county_reviewer or user.is_admin_role:
        return county_summary(request)
    if not may_see_board(user):
        return redirect("home:index")
    campaign = current_campaign(request)
    if campaign is None:
        raise Http404("尚未创建示范行动。")
    return redirect("oversight:board", pk=campaign.pk)


def _count_cells(counts) -> str:
    """The table cells of one town's step counts: integers only, so the HTML is built here rather than by
    nineteen template nodes per town."""
    return mark_safe("".join(f'<td class="num">{int(n) or "—"}</td>' for _, n in counts))  # noqa: S308 - integers only


def county_summary(request):
    user = request.user
    asked = request.GET.get("year", "")

    def values() -> dict:
        campaigns = Campaign.objects.visible_to(user).select_related("town")
        years = sorted(set(campaigns.values_list("year", flat=True)), reverse=True)
        if asked.isdigit() and int(asked) in years:
            year = int(asked)
        elif today().year in years:
            year = today().year
        else:
            year = years[0] if years else None  # the latest year with a campaign
        # Counts only: the branches' steps (candidate villages have their own and are not counted), no milestone dates.
        chosen = list(campaigns.filter(year=year).order_by("town__path")) if year else []
        rows = load_rows(user, chosen, villages=False, cells=False)
        by_campaign: dict[int, list] = {c.pk: [] for c in chosen}
        for r in rows:
            by_campaign[r.campaign.pk].append(r)
        board_url = row_url("oversight:board")
        towns = [
            Row(
                name=str(c.town),
                board_url=board_url(c.pk),
                numbers=summary(by_campaign[c.pk]),
                cells=_count_cells(step_counts(by_campaign[c.pk])),
            )
            for c in chosen
        ]
        return {
            "towns": towns,
            "years": years,
            "year": year,
            "total": summary(rows),
            "steps": sorted(Step, key=ORDER.get),
            "chart": mark_safe(steps_chart(rows)),  # noqa: S308 - every text escaped by charts.bar_chart
        }

    # 800 branches' steps, drawn once per audited change and year asked (apps/audit/memo.KeptBody).
    return render(request, "oversight/county.html", {"body": KeptBody(request, "county-summary", values, asked)})


def board(request, pk: int):
    user = request.user

    def values() -> dict:  # from the campaign read below
        every = campaign_rows(user, campaign)
        rows, chosen = filter_rows(every, request.GET)
        meetings, proposals = user.manages_town or user.is_branch_secretary, not (user.is_county_reviewer or user.is_inspector)
        return {
            "rows": board_view_rows(rows, campaign, meetings=meetings, proposals=proposals),
            "numbers": summary(every),
            "columns": COLUMNS,
            "chosen": chosen,
            "kinds": OrgKind.choices,
            "steps": [(s.value, s.label) for s in sorted(Step, key=ORDER.get)],
            "statuses": list(STATUS_FILTERS.items()),
            "today": today(),
            "chart": mark_safe(steps_chart(every)),  # noqa: S308 - every text escaped by charts.bar_chart
            "query": request.GET.urlencode(),
        }

    # The numbers, the chart and the table, drawn once per audited change and filter (apps/audit/memo.KeptBody),
    # read with the campaign in one cache read.
    body = KeptBody(request, "board", values, pk, request.GET.urlencode())
    campaign = _campaign(request, pk, ahead=(body.key(),))
    return render(request, "oversight/board.html", {"campaign": campaign, "body": body})


def board_view_rows(rows, campaign, *, meetings: bool, proposals: bool) -> list[Row]:
    """The board's table as plain values with their links (one reverse() per kind of link, not per row)."""
    meeting_url, register_url = row_url("meetings:meeting_detail"), row_url("meetings:branch_meeting", campaign.pk)
    proposal_url = row_url("nominations:proposal_detail")
    out = []
    for r in rows:
        p, f = r.progress, r.facts
        links = []
        if meetings and r.kind == "branch":
            links.append((meeting_url(r.meeting_id), "党员大会") if r.meeting_id else (register_url(r.org.pk), "登记党员大会"))
        if proposals and r.proposal_id:
            links.append((proposal_url(r.proposal_id), "推荐与报送"))
        out.append(
            Row(
                name=r.org.name,
                kind=r.kind,
                overdue=p.overdue,
                colour=p.step.colour,
                label=p.label,
                warning=p.warning,
                cells=format_html_join("", '<td class="nowrap small">{}</td>', ((v or "—",) for v in p.column_values)),
                open_rectifications=f.open_rectifications if f else 0,
                overdue_rectifications=f.overdue_rectifications if f else 0,
                next=p.next,
                links=links,
            )
        )
    return out


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def board_rows_table(rows) -> list[list]:
    """The export's table: a header, then one line per row (the same facts as the page)."""
    head = ["镇", "党组织", "类别", "当前环节", *[label for _, label in COLUMNS], "申报截止", "逾期", "未销号整改", "下一步"]
    kinds = dict(OrgKind.choices)
    lines = [head]
    for r in rows:
        p = r.progress
        lines.append(
            [
                str(r.campaign.town),
                r.org.name,
                kinds.get(r.org.kind, r.org.kind),
                p.label,
                *[p.cells[key] for key, _ in COLUMNS],
                r.campaign.deadline,
                "是" if p.overdue else "",
                r.facts.open_rectifications if r.facts else 0,
                p.next,
            ]
        )
    return lines


def board_export(request, pk: int):
    campaign = _campaign(request, pk)
    # The workbook's bytes, while nothing audited changes (apps/audit/memo.py).
    body = remember(
        "board-xlsx", request.user, lambda: _board_workbook(request.user, campaign, request.GET), campaign.pk, request.GET.urlencode()
    )
    response = HttpResponse(body, content_type=XLSX)
    name = f"progress-{campaign.year}-{campaign.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _board_workbook(user, campaign, query) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    rows, _ = filter_rows(campaign_rows(user, campaign), query)
    wb = Workbook()
    ws = wb.active
    ws.title = "进度"
    red = PatternFill("solid", fgColor="FDE2E3")
    for i, line in enumerate(board_rows_table(rows)):
        ws.append(line)
        if i == 0:
            for cell in ws[1]:
                cell.font = Font(bold=True)
        elif line[-3] == "是":
            for cell in ws[i + 1]:
                cell.fill = red
    for col, width in zip("ABCDEFGHIJKLMNOPQ", (14, 20, 8, 20, *([14] * 9), 12, 6, 10, 30), strict=False):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "C2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# --- supervision visits (督促检查) -----------------------------------------------------------------------------------


def visit_list(request, pk: int):
    campaign = _campaign(request, pk)
    visits = (
        SupervisionVisit.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .select_related("org", "created_by")
        .annotate(open_items=Count("items", filter=Q(items__closed_on__isnull=True)), all_items=Count("items"))
    )
    items = (
        Rectification.objects.visible_to(request.user)
        .filter(visit__campaign=campaign, closed_on__isnull=True)
        .select_related("visit__org")
        .order_by("due_on", "pk")
    )
    return render(
        request,
        "oversight/visit_list.html",
        {"campaign": campaign, "visits": visits, "open_items": items, "today": today(), "can_record": actions.may_supervise(request.user)},
    )


def visit_create(request, pk: int):
    campaign = _campaign(request, pk)
    if not actions.may_supervise(request.user):
        raise PermissionDenied("只有镇党建办可以登记督促检查。")
    form = VisitForm(request.POST if request.method == "POST" else None, user=request.user, campaign=campaign)
    done = run_form(
        request,
        form,
        lambda d: actions.record_visit(request.user, campaign, d["org"], {**d, "items": form.items()}),
        success=lambda v: f"已登记对{v.org}的督促检查（整改事项 {v.items.count()} 项）。",
        redirect_to=lambda v: v.get_absolute_url(),
    )
    if done:
        return done
    status = 422 if request.method == "POST" else 200
    return render(request, "oversight/visit_form.html", {"campaign": campaign, "form": form}, status=status)


def visit_detail(request, pk: int):
    user = request.user
    visit = fetch(user, SupervisionVisit.objects.select_related("campaign__town", "org", "created_by"), pk=pk)
    can_add = actions.may_supervise(user)
    form = RectificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("只有镇党建办可以新增整改事项。")
        done = run_form(
            request,
            form,
            lambda d: actions.add_rectification(user, visit, d),
            success="已新增整改事项。",
            redirect_to=visit.get_absolute_url(),
        )
        if done:
            return done
    return render(
        request,
        "oversight/visit_detail.html",
        {
            "visit": visit,
            "items": visit.items.select_related("closed_by"),
            "form": form if can_add else None,
            "can_close": actions.may_close(user),
            "today": today(),
        },
        status=422 if request.method == "POST" else 200,
    )


def rectification_close(request, pk: int):
    user = request.user
    rect = fetch(
        user,
        Rectification.objects.select_related("visit__org", "visit__campaign__town"),
        pk=pk,
        may=actions.may_close,
        denied="只有镇党建办或本支部书记可以为整改事项销号。",
    )
    form = CloseForm(request.POST if request.method == "POST" else None, initial={"closed_on": today()})
    done = run_form(
        request,
        form,
        lambda d: actions.close_rectification(user, rect, d["evidence"], d["closed_on"]),
        success="整改事项已销号。",
        redirect_to=rect.visit.get_absolute_url(),
    )
    if done:
        return done
    blockers = [] if request.method == "POST" else actions.close_rectification_blockers(user, rect, "x", today())
    status = (409 if rect.closed_on else 422) if request.method == "POST" else 200
    return render(request, "oversight/rectification_close.html", {"rect": rect, "form": form, "blockers": blockers}, status=status)


# --- the notification centre ---------------------------------------------------------------------------------------


def notifications(request):
    """The user's own reminders, newest first; a POST marks them all read."""
    mine = Notification.objects.for_user(request.user)
    if request.method == "POST":
        mine.unread().update(read_at=timezone.now())
        return redirect("oversight:notifications")
    return render(request, "oversight/notifications.html", {"notifications": mine[:200], "unread": unread_count(request.user)})


# --- target assessment (目标考核) -------------------------------------------------------------------------------------


def assessment(request, pk: int):
    """The items with their weights, the ranking with each branch's breakdown; the town office sets the
    items (or takes the defaults) and enters the manual scores."""
    user = request.user
    can_edit = actions.may_assess(user)
    post = request.POST if request.method == "POST" else None
    op = request.POST.get("op", "") if post else ""
    # ?edit=<id> (GET) or the hidden `edit` field (POST) changes an existing item instead of adding one.
    raw_edit = (post or request.GET).get("edit", "")
    # The items, the ranking and the forms, drawn once per audited change (apps/audit/memo.KeptBody) and read with
    # the campaign; on a POST afresh, with the bound forms.
    body = KeptBody(request, "assessment", lambda: values(), pk, raw_edit)
    campaign = _campaign(request, pk, ahead=(body.key(),))

    def forms():
        editing = (
            AssessmentItem.objects.filter(campaign=campaign, pk=int(raw_edit)).first()
            if raw_edit.isdigit() and len(raw_edit) < 10 and can_edit
            else None
        )
        initial = {"order": editing.order, "name": editing.name, "source": editing.source, "weight": editing.weight} if editing else None
        item_form = AssessmentItemForm(post if op == "item" else None, initial=initial)
        score_form = ManualScoreForm(post if op == "score" else None, user=user, campaign=campaign)
        return editing, item_form, score_form

    error = ""
    built = None
    if post is not None:
        if not can_edit:
            raise PermissionDenied("只有镇党建办可以设置考核项目和评分。")
        built = editing, item_form, score_form = forms()
        here = request.path
        done = None
        if op == "item":
            done = run_form(
                request,
                item_form,
                lambda d: actions.save_assessment_item(user, campaign, d, editing),
                success="已保存考核项目。",
                redirect_to=here,
            )
        elif op == "score":
            done = run_form(
                request,
                score_form,
                lambda d: actions.set_manual_score(user, d["item"], d["org"], d["score"], d["note"]),
                success="已保存评分。",
                redirect_to=here,
            )
        elif op in ("seed", "delete"):
            try:
                if op == "seed":
                    actions.seed_assessment_items(user, campaign)
                else:
                    raw = request.POST.get("item", "")
                    item = (
                        AssessmentItem.objects.filter(campaign=campaign, pk=int(raw)).first() if raw.isdigit() and len(raw) < 10 else None
                    )
                    if item is None:
                        raise ActionError(["未找到该考核项目。"])
                    actions.delete_assessment_item(user, item)
            except ActionError as exc:
                error = "；".join(exc.blockers)
            else:
                messages.success(request, "已设置默认考核项目。" if op == "seed" else "已删除考核项目。")
                return redirect(here)
        else:
            error = "未知的操作。"
        if done:
            return done

    def values() -> dict:
        editing, item_form, score_form = built or forms()
        items, ranking = campaign_ranking(user, campaign)
        return {
            "items": items,
            "total_weight": sum((i.weight for i in items), Decimal(0)),
            "ranking": ranking_rows(ranking),
            "can_edit": can_edit,
            "item_form": item_form,
            "editing": editing,
            "score_form": score_form if any(i.source == AssessmentSource.MANUAL for i in items) else None,
        }

    return render(
        request,
        "oversight/assessment.html",
        {"campaign": campaign, "error": error, "body": body},
        status=422 if post is not None else 200,
    )


def ranking_rows(ranking) -> list[Row]:
    """The ranking as the page shows it: numbers already written out (a Decimal costs the template a
    localisation each, and the table has a cell per branch and item)."""
    return [
        Row(
            rank=s.rank,
            name=s.org.name,
            parts=[(number_format(score), number_format(points)) for _, score, points in s.parts],
            total=number_format(s.total),
        )
        for s in ranking
    ]


def assessment_export(request, pk: int):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    campaign = _campaign(request, pk)
    items, ranking = campaign_ranking(request.user, campaign)
    wb = Workbook()
    ws = wb.active
    ws.title = "目标考核"
    ws.append(["名次", "党组织", *[f"{i.name}（{i.weight}）" for i in items], "总分"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for s in ranking:
        ws.append([s.rank, s.org.name, *[points for _, _, points in s.parts], s.total])
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="assessment-{campaign.year}-{campaign.pk}.xlsx"'
    return response
