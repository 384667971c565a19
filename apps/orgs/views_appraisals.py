"""One sheet to enter a branch's 民主评议 grades for a year, instead of member by member."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from apps.accounts.scope import scope_key
from apps.audit.memo import KeptBody, fetch_kept, fetched_key, kept_key, read_only, remember_on_read
from apps.campaigns.lookup import current_campaign
from apps.core import clock
from apps.core.forms import options_html
from apps.core.rows import row_url

from . import actions
from .choices import Grade
from .models import Appraisal, Member, Organization
from .rules import appraisal_year_errors


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or default)
    except ValueError:
        return default
    return default if appraisal_year_errors(year) else year


# The kept branch of the sheet: the one the address asks for, or a secretary's own.
ASKED, OWN = "appraisal-branch", "appraisal-own-branch"


def appraisal_sheet(request):
    if not request.user.manages_members:
        raise PermissionDenied
    user = request.user
    branch_id = request.GET.get("branch") or request.POST.get("branch")
    # The picker and the sheet, drawn once per audited change (a grade saved, a member added, moved or gone), per
    # branch and year asked (apps/audit/memo.KeptBody); after a refused POST afresh, as it was filled in. What it is
    # drawn from is what the user, the date, the audit head and the address decide (the current campaign gives the
    # default year), so the body, the campaign, the branch and the user's scope are read in one cache read.
    body = KeptBody(request, "appraisal-sheet", lambda: values(), branch_id or "", request.GET.get("year", ""))
    asked = int(branch_id) if branch_id and branch_id.isdigit() else None
    own = asked is None and user.is_branch_secretary  # their own branch (none, if it is not one that holds members)
    ahead = ()
    if read_only(request):
        branch_key = fetched_key(request, ASKED, pk=asked) if asked is not None else kept_key(OWN, user) if own else None
        ahead = (scope_key(user), branch_key, body.key())
    campaign = current_campaign(request, ahead=ahead)
    year = _year(request, campaign.appraisal_year if campaign else clock.today().year - 1)
    if asked is not None:
        branch = fetch_kept(request, ASKED, Organization.objects.basic(), pk=asked)
    elif own:
        branch = remember_on_read(request, OWN, lambda: branches(user).filter(pk=user.organization_id).first())
    else:
        branch = None
    errors: list[str] = []
    posted = None
    if branch is not None and request.method == "POST":
        # Saving needs whole members (the action audits them).
        members = list(_members(request.user, branch).select_related("branch"))
        current = dict(Appraisal.objects.filter(member__in=members, year=year).values_list("member_id", "grade"))
        valid = set(Grade.values)
        grades = {}
        for m in members:
            value = request.POST.get(f"grade-{m.pk}", "")
            if value and value not in valid:
                errors.append(f"{m.name}：评议等次无效。")
            elif value:
                grades[m] = value
        if not errors:
            try:
                changed = actions.record_appraisals(request.user, year, grades)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, f"已保存 {branch} {year} 年度民主评议结果，更新 {changed} 人。")
                return redirect(f"{request.path}?branch={branch.pk}&year={year}")
        for m in members:  # the sheet again, as it was filled in, with the errors
            m.current_grade = request.POST.get(f"grade-{m.pk}", current.get(m.pk, ""))
        posted = sheet_rows(members)

    def values() -> dict:
        if posted is not None:
            rows = posted
        else:
            rows = _shown_rows(user, branch, year) if branch is not None else []
        return {
            "branch_options": options_html(list(branches(user).values_list("pk", "name")), {str(branch.pk) if branch else ""}),
            "rows": rows,
            "errors": errors,
        }

    return render(request, "orgs/appraisal_sheet.html", {"branch": branch, "year": year, "body": body})


def branches(user):
    """The branches the user may pick. A function, not a queryset built on every request: a kept sheet needs none."""
    return Organization.objects.visible_to(user).basic()


def _members(user, branch):
    return Member.objects.visible_to(user).active().filter(branch=branch).order_by("name", "pk")


def _shown_rows(user, branch, year: int) -> list[dict]:
    members = list(_members(user, branch).only("pk", "name", "category", "post"))  # the four columns shown
    current = dict(Appraisal.objects.filter(member__in=members, year=year).values_list("member_id", "grade"))
    for m in members:
        m.current_grade = current.get(m.pk, "")
    return sheet_rows(members)


def sheet_rows(members) -> list[dict]:
    """The sheet's rows as plain values, each grade <select>'s options drawn once per grade rather than a
    template loop of four options per member; one reverse() per page rather than a {% url %} per row."""
    choices = [("", "未录入"), *Grade.choices]
    options = {v: options_html(choices, {v}) for v, _ in choices}
    detail_url = row_url("orgs:member_detail")
    return [
        {
            "pk": m.pk,
            "url": detail_url(m.pk),
            "name": m.name,
            "category": m.get_category_display(),
            "post": m.post,
            "grade_options": options.get(m.current_grade) or options_html(choices, {m.current_grade}),
        }
        for m in members
    ]
