"""Organization tree, member list and member pages. Every object comes through visible_to(user)."""

from __future__ import annotations

import functools
from html import escape

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.scope import scope_key
from apps.audit.memo import KeptBody, kept_key, read_ahead, remember
from apps.core import clock
from apps.core.compiled import CompiledWindow
from apps.core.fetch import fetch
from apps.core.idcard import mask_id, mask_phone
from apps.core.rows import row_url
from apps.core.scope import scope_of
from apps.core.views_helpers import client_ip, run_form

from . import actions
from .choices import Category, MemberStatus, OrgKind, OrgLevel
from .forms import AppraisalForm, MemberFilterForm, MemberForm, OrganizationForm, TransferForm
from .models import PATH_STEP, Member, Organization, in_sanction_period
from .paging import ORDERING, BranchOrderedMembers, counts_key

PAGE_SIZE = 50


def org_tree(request):
    """The organization tree with each organization's members (在册, 正式) counted over its whole subtree.

    A tree of several towns (the county's) shows the towns collapsed; `?under=<town>` opens one of them,
    in place (htmx: only that town's rows, replacing its row) or as the whole page with that town open."""
    user = request.user
    under = request.GET.get("under", "")
    under = fetch(user, Organization.objects, pk=under) if under.isdigit() else None
    partial = under is not None and request.htmx and not request.htmx.boosted
    # Subtotals over a county's 32,000 members: kept while nothing audited changes (apps/audit/memo.py); the
    # whole page's body drawn once per audited change (KeptBody).
    open_path = under.path if under else None
    if partial:
        orgs = Organization.objects.visible_to(user).filter(path__startswith=under.path).order_by("path")
        rows = remember("org-tree", user, lambda: tree_rows(user, orgs, open_path=open_path), open_path, partial)
        return render(request, "orgs/_org_rows.html", {"rows": rows})
    # The queryset is built only when the body is drawn: building it was about a twelfth of the kept page's time (py-spy, the real server).
    body = KeptBody(
        request,
        "org-tree",
        lambda: {"rows": tree_rows(user, Organization.objects.visible_to(user).order_by("path"), open_path=open_path)},
        open_path,
    )
    # The body and the user's scope (read already when a town was opened) in one cache read.
    read_ahead(None if under else scope_key(user), body.key())
    return render(request, "orgs/org_tree.html", {"body": body})


def tree_rows(user, orgs, open_path: str | None) -> list[dict]:
    """The rows of the organizations `orgs` (a queryset) as plain values, with subtotals; the towns' subtrees collapsed when there are
    several towns, except the one whose path is `open_path`."""
    visible = orgs.values("pk")
    orgs = list(orgs.values("pk", "name", "level", "kind", "path", "is_active"))
    by_path = {o["path"]: o for o in orgs}
    paths = {o["pk"]: o["path"] for o in orgs}
    for o in orgs:
        o["active"] = o["formal"] = 0
    # Grouped by the branch's id (the member index covers it), then added up along each branch's path.
    counts = (
        Member.objects.filter(status=MemberStatus.ACTIVE, branch__in=visible)
        .values("branch_id")
        .annotate(active=Count("pk"), formal=Count("pk", filter=Q(category=Category.FORMAL)))
        .order_by()
    )
    for c in counts:
        path = paths[c["branch_id"]]
        for end in range(PATH_STEP + 1, len(path) + 1, PATH_STEP + 1):
            o = by_path.get(path[:end])
            if o is not None:
                o["active"] += c["active"]
                o["formal"] += c["formal"]
    towns = [o["path"] for o in orgs if o["level"] == OrgLevel.TOWN]
    collapsed = set(towns) - {open_path} if len(towns) > 1 else set()
    base_depth = _base_depth(user)
    detail_url = row_url("orgs:org_detail")
    tree_url = reverse("orgs:org_tree")
    levels, kinds = dict(OrgLevel.choices), dict(OrgKind.choices)
    rows = []
    for o in orgs:
        path = o["path"]
        depth = path.count(".") - 1
        if any(path[:end] in collapsed for end in range(PATH_STEP + 1, len(path), PATH_STEP + 1)):
            continue  # inside a collapsed town
        o["indent"] = depth - base_depth
        o["url"] = detail_url(o["pk"])
        o["level_label"] = levels.get(o["level"], o["level"])
        o["kind_label"] = kinds.get(o["kind"], o["kind"])
        o["expand_url"] = f"{tree_url}?under={o['pk']}" if path in collapsed else ""
        rows.append(o)
    return rows


def _base_depth(user) -> int:
    """The depth of the user's topmost visible organizations: their rows are not indented."""
    scope = scope_of(user)
    if scope.everything or not scope.org_paths:
        return 0
    return min(p.count(".") - 1 for p in scope.org_paths)


def org_detail(request, pk: int):
    org = fetch(request.user, Organization.objects, pk=pk)
    children = Organization.objects.visible_to(request.user).filter(parent=org)
    members = Member.objects.visible_to(request.user).under(org)
    stats = members.aggregate(
        active=Count("pk", filter=Q(status=MemberStatus.ACTIVE)),
        formal=Count("pk", filter=Q(status=MemberStatus.ACTIVE, category=Category.FORMAL)),
        probationary=Count("pk", filter=Q(status=MemberStatus.ACTIVE, category=Category.PROBATIONARY)),
    )
    return render(
        request,
        "orgs/org_detail.html",
        {
            "org": org,
            "children": children,
            "stats": stats,
            "can_edit": actions.can_manage_org(request.user, org) and request.user.manages_town,
        },
    )


def org_form(request, pk: int | None = None):
    org = fetch(request.user, Organization.objects, pk=pk) if pk else None
    if not request.user.manages_town:
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, instance=org, user=request.user, initial={"parent": request.GET.get("parent")})

    def save(data):
        return actions.update_organization(request.user, org, data) if org else actions.create_organization(request.user, data)

    done = run_form(request, form, save, success=lambda o: f"已保存党组织“{o}”。", redirect_to=lambda o: o.get_absolute_url())
    return done or render(request, "orgs/org_form.html", {"form": form, "org": org})


def member_list(request):
    if request.user.is_inspector:
        # Inspectors work on villages; member records are outside their remit.
        raise PermissionDenied("督查组成员无权查看党员名册。")
    query = request.GET.copy()
    query.pop("page", None)  # the filters: another page of the plain list has none to check
    filters_key = query.urlencode()
    # Drawn only into the kept filter form (when not kept), validated only when its outcome is not kept, built only
    # to count (when the counts are not kept) or to compile a filtered page's query: building the form deep-copies
    # its fields, a tenth of a search page's time on the real server (py-spy).
    form = SimpleLazyObject(lambda: MemberFilterForm(query or None, user=request.user))
    # The filter form as the query asks it (no member's data): drawn once per audited change (KeptBody).
    filters = KeptBody(request, "member-filters", lambda: {}, filters_key)
    htmx_table = request.htmx and not request.htmx.boosted
    # The kept counts, the kept outcome of the filters and the kept filter form in one cache read (the table alone
    # for htmx draws no form).
    read_ahead(
        counts_key(request.user, filters_key),
        kept_key("member-filters-checked", request.user, filters_key) if query else None,
        None if htmx_table else filters.key(),
    )
    valid, errors, plan_key = (
        remember("member-filters-checked", request.user, lambda: checked_filters(form), filters_key) if query else NO_FILTERS
    )
    # Ordered by branch path, name, pk; paged branch by branch instead of sorting every member (paging.py): the
    # scoped members counted per branch (kept while nothing audited changes), then a page's rows read from the few
    # branches that hold it (in the scope by construction: a member is seen through its branch) by a compiled query.
    # An invalid form filters nothing: the plain list's rows.
    if valid:
        scoped = lambda: form.apply(Member.objects.visible_to(request.user))[0]  # noqa: E731 - built only to count

        def window_rows(ids, offset, limit):
            return FILTERED_ROWS.rows(ids, offset, limit, form, key=plan_key)

    else:
        scoped = lambda: Member.objects.visible_to(request.user)  # noqa: E731 - built only to count
        window_rows = PLAIN_ROWS.rows
    paged = BranchOrderedMembers(
        scoped, kept=(request.user, filters_key), window_rows=window_rows, matched_rows=matched_rows if valid else None
    )
    page = Paginator(paged, PAGE_SIZE).get_page(request.GET.get("page"))
    rows_html = member_rows_html(page.object_list)
    page.object_list = [row[0] for row in page.object_list]  # the members shown, by id; their values are in rows_html
    context = {
        "form": form,
        "page": page,
        "rows_html": rows_html,
        # The refused filters (label, message): walking the form's fields in the template cost more than the rows.
        "errors": errors,
        "query": filters_key,
        "filters": filters,
        "can_add": request.user.manages_members,
    }
    return render(request, "orgs/_member_table.html" if htmx_table else "orgs/member_list.html", context)


# No filters asked: valid as none, nothing refused, no plan.
NO_FILTERS: tuple[bool, tuple, None] = (False, (), None)


def checked_filters(form: MemberFilterForm) -> tuple[bool, list[tuple[str, str]], tuple | None]:
    """Whether the member list's filters hold, the refused ones (label, message) and what they filter by
    (`plan_key`): kept per user and query while nothing audited changes, as the branches a user may choose are."""
    valid = form.is_valid()
    errors = [(str(form.fields[name].label), str(e)) for name, errs in form.errors.items() for e in errs]
    return valid, errors, form.plan_key() if valid else None


@require_GET
def branch_options(request):
    """The member list's branch picker: the <option>s of the branches whose name contains ?branch_q=."""
    if request.user.is_inspector:
        raise PermissionDenied("督查组成员无权查看党员名册。")
    return HttpResponse(MemberFilterForm(request.GET, user=request.user).branch_options())


# What a member list row shows, read as tuples of values: building 50 model instances (and their branches) costs
# several times more than the whole query.
# The member's own columns, then the branch's name.
MEMBER_COLUMNS = (
    "pk",
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "category",
    "status",
    "post",
    "sanction_start",
    "sanction_end",
)
ROW_COLUMNS = (*MEMBER_COLUMNS, "branch__name")
# The plain list's page (no filters): the members of a few branches, compiled to SQL once (most looks are these). Read
# from the branches (the same rows in the same order as Member.objects.filter(branch_id__in=ids).order_by(*ORDERING)):
# PostgreSQL then looks up the few branches by their ids and their members by the branch index (0.1 ms); from the
# members it hashed all 841 organizations of the county to join them (0.25-0.45 ms, EXPLAIN ANALYZE).
PLAIN_ROWS = CompiledWindow(
    lambda ids: (
        Organization.objects.filter(pk__in=ids, members__isnull=False)
        .order_by("path", "members__name", "members__pk")
        .values_list(*(f"members__{column}" for column in MEMBER_COLUMNS), "name")
    )
)
# A filtered list's page by its members' ids, when the filters match few (paging.MATCHES_KEPT): fifty primary keys, one
# array parameter on PostgreSQL (`any_of`), the rows put in the list's order here (the kept ids are in it). Each member's
# branch name is a subquery by the branch's primary key: joined, PostgreSQL hashed all 841 organizations of the county,
# and filtered by the page's branches it still scanned them all, then sorted the page (EXPLAIN ANALYZE on the county's
# "王": 0.27 ms against 0.13-0.21 ms; the members come in primary-key order from their index, no sort). Backend CPU a
# run, twelve alternating runs: lowest 310 µs against 240 µs, median 395 µs against 360 µs.
MATCHED_ROWS = CompiledWindow(
    lambda ids: (
        Member.objects.filter(pk__any_of=ids)
        .annotate(branch_name=Subquery(Organization.objects.filter(pk=OuterRef("branch_id")).order_by().values("name")))
        .order_by("pk")
        .values_list(*MEMBER_COLUMNS, "branch_name")
    )
)


def matched_rows(ids: list[int]) -> list[tuple]:
    """The rows of the members `ids`, in that order."""
    found = {row[0]: row for row in MATCHED_ROWS.every(ids)}
    return [found[pk] for pk in ids if pk in found]


# A filtered list's page (a name search, say): compiled once per filters (MemberFilterForm.plan_key) and window length.
FILTERED_ROWS = CompiledWindow(
    lambda ids, form: form.apply(Member.objects.all())[0].filter(branch_id__in=ids).order_by(*ORDERING).values_list(*ROW_COLUMNS)
)


# The member table's rows are written here rather than by the template language: its ~11 nodes per row, 50 rows a
# page, were most of the member list's cost (each value looked up and escaped through several layers). Every value
# is escaped here as the template would escape it.
SANCTION_BADGE = ' <span class="badge badge-orange">处分期</span>'
NO_MEMBERS = '<tr><td colspan="9">没有符合条件的党员。</td></tr>'


def member_rows_html(members: list[tuple]) -> SafeString:
    """The member table's <tr>s from tuples of ROW_COLUMNS, every value escaped. Masking is the model's (mask_id,
    mask_phone); the sanction period the model's rule (in_sanction_period). The labels are plain strings, translated
    and escaped once per language (`_row_labels`).

    The page's text values are escaped in one call (`escape_all`): escaping them one by one, 350 calls a page of 50,
    was half of what writing the rows cost (0.33 ms against 0.15 ms a page, in-process); building a dict of each
    row's values before writing it had cost twice as much again."""
    if not members:
        return mark_safe(NO_MEMBERS)  # noqa: S308 - a constant
    detail_url = row_url("orgs:member_detail")
    today = clock.today()
    categories, statuses = _row_labels(get_language())
    texts = []
    for pk, name, gender, _, id_number, phone, _, _, post, _, _, branch in members:
        texts += (detail_url(pk), name, gender, mask_id(id_number), mask_phone(phone), post, branch)
    escaped = escape_all(texts)
    html = []
    for at, (_, _, _, birth_date, _, _, category, status, _, sanction_start, sanction_end, _) in enumerate(members):
        url, name, gender, id_number, phone, post, branch = escaped[at * 7 : at * 7 + 7]
        html.append(
            f'<tr><td><a href="{url}">{name}</a></td><td>{gender}</td>'
            f'<td class="nowrap">{birth_date.isoformat() if birth_date else ""}</td>\n'
            f'<td class="mono">{id_number}</td><td class="mono">{phone}</td>'
            f"<td>{categories.get(category) or escape(category)}</td>\n"
            f"<td>{branch}</td><td>{post}</td>\n"
            f"<td>{statuses.get(status) or escape(status)}"
            f"{SANCTION_BADGE if in_sanction_period(sanction_start, sanction_end, today) else ''}</td></tr>\n"
        )
    return mark_safe("".join(html))  # noqa: S308 - every value escaped above


@functools.cache
def _row_labels(language: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The category and status labels as a member row shows them, translated (to the active `language`) and escaped
    once per language rather than once per page (~20 µs a page, py-spy)."""
    return (
        {value: escape(str(label)) for value, label in Category.choices},
        {value: escape(str(label)) for value, label in MemberStatus.choices},
    )


# Joins the values escape_all escapes in one call; escaping leaves it as it is. A value that holds it is escaped alone.
_UNIT_SEPARATOR = "\x1f"


def escape_all(texts: list[str]) -> list[str]:
    """`[escape(t) for t in texts]`, in one call to `escape` for all of them."""
    joined = _UNIT_SEPARATOR.join(texts)
    if joined.count(_UNIT_SEPARATOR) != len(texts) - 1:
        return [escape(t) for t in texts]
    return escape(joined).split(_UNIT_SEPARATOR)


def member_detail(request, pk: int):
    member = fetch(request.user, Member.objects.select_related("branch"), pk=pk)
    can_manage = actions.can_manage_member(request.user, member)
    return render(
        request,
        "orgs/member_detail.html",
        {
            "member": member,
            "appraisals": member.appraisals.all(),
            "can_manage": can_manage,
            "appraisal_form": AppraisalForm(prefix="ap") if can_manage else None,
        },
    )


def member_form(request, pk: int | None = None):
    member = fetch(request.user, Member.objects, pk=pk) if pk else None
    if not request.user.manages_members or (member and not actions.can_manage_member(request.user, member)):
        raise PermissionDenied
    form = MemberForm(request.POST or None, instance=member, user=request.user)

    def save(data):
        return actions.update_member(request.user, member, data) if member else actions.create_member(request.user, data)

    done = run_form(request, form, save, success=lambda m: f"已保存党员“{m}”的信息。", redirect_to=lambda m: m.get_absolute_url())
    return done or render(request, "orgs/member_form.html", {"form": form, "member": member})


def member_transfer(request, pk: int):
    member = fetch(request.user, Member.objects.select_related("branch"), pk=pk)
    if not actions.can_manage_member(request.user, member):
        raise PermissionDenied
    form = TransferForm(request.POST or None, user=request.user, member=member)
    done = run_form(
        request,
        form,
        lambda data: actions.transfer_member(
            request.user, member, to_branch=data["to_branch"], status=data["status"], on=data["on"], reason=data["reason"]
        ),
        success="已办理组织关系变更。",
        redirect_to=member.get_absolute_url(),
    )
    return done or render(request, "orgs/member_transfer.html", {"form": form, "member": member})


@require_POST
def member_reveal(request, pk: int):
    member = fetch(request.user, Member.objects, pk=pk)
    values = actions.reveal_member_pii(request.user, member, ip=client_ip(request))
    return render(request, "orgs/_member_pii.html", {"member": member, "revealed": values})


@require_POST
def member_appraisal(request, pk: int):
    member = fetch(request.user, Member.objects, pk=pk)
    if not actions.can_manage_member(request.user, member):
        raise PermissionDenied
    form = AppraisalForm(request.POST, prefix="ap")
    done = run_form(
        request,
        form,
        lambda data: actions.record_appraisal(request.user, member, data["year"], data["grade"], data["note"]),
        success="已记录民主评议结果。",
        redirect_to=member.get_absolute_url(),
    )
    return done or render(
        request,
        "orgs/member_detail.html",
        {
            "member": member,
            "appraisals": member.appraisals.all(),
            "can_manage": True,
            "appraisal_form": form,
        },
        status=400,
    )
