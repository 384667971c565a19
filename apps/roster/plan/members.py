"""Evaluating a member roster: each row new, changed, unchanged, error or skipped, and who is missing."""

from __future__ import annotations

import datetime as dt

from apps.core.idcard import mask_id
from apps.orgs.choices import MemberStatus
from apps.orgs.rules import member_rule_errors

from ..choices import RowStatus
from ..import_scope import ImportScope
from .lookups import by_id_number, duplicate_error, find_duplicates
from .rows import LABELS, Plan, Row, display

# Fields of an existing member read for the comparison and the rules.
VALUE_FIELDS = (
    "pk",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "education",
    "category",
    "joined_on",
    "confirmed_on",
    "branch_id",
    "post",
    "status",
    "sanction_start",
    "sanction_end",
    "status_changed_on",
    "branch__name",
)
# The member fields a roster row carries besides ID number and branch: compared on import, written when they differ.
ROSTER_FIELDS = ("name", "gender", "ethnicity", "birth_date", "phone", "education", "category", "joined_on", "confirmed_on", "post")


def evaluate_members(plan: Plan, scope: ImportScope) -> None:
    rows = plan.rows
    numbers = {r.data["id_number"] for r in rows if r.data.get("id_number")}
    in_scope = {m["id_number"]: m for m in scope.members().filter(status=MemberStatus.ACTIVE).values(*VALUE_FIELDS)}
    elsewhere = by_id_number(numbers - in_scope.keys(), VALUE_FIELDS)
    duplicates = find_duplicates(rows, lambda r: r.data.get("id_number"))
    default_branch = scope.default_branch()
    for row in rows:
        _evaluate_member_row(row, scope, in_scope, elsewhere, duplicates, default_branch)
    plan.missing = [
        {"pk": m["pk"], "name": m["name"], "branch": m["branch__name"], "id": mask_id(m["id_number"])}
        for number, m in sorted(in_scope.items(), key=lambda item: (item[1]["branch__name"], item[1]["name"], item[1]["pk"]))
        if number not in numbers
    ]


def _evaluate_member_row(row: Row, scope: ImportScope, in_scope, elsewhere, duplicates, default_branch) -> None:
    d = row.data
    errors = list(row.parse_errors)
    number = d.get("id_number", "")
    status = d.get("status", MemberStatus.ACTIVE)
    existing = in_scope.get(number)
    if status != MemberStatus.ACTIVE and existing is None:
        row.status = RowStatus.SKIPPED
        row.note = f"状态为“{MemberStatus(status).label}”，不导入。"
        return
    if not d.get("name") and not any("姓名" in e for e in errors):
        errors.append("缺少姓名。")
    if not number and not any("公民身份号码" in e for e in errors):
        errors.append("缺少公民身份号码。")
    if number in duplicates:
        errors.append(duplicate_error("公民身份号码", row.row, duplicates[number]))
    if existing is None and number in elsewhere:
        active = [m for m in elsewhere[number] if m["status"] == MemberStatus.ACTIVE]
        dormant = sorted((m for m in elsewhere[number] if m["branch_id"] in scope.orgs), key=lambda m: m["pk"])
        if active:
            errors.append(f"该身份证号已登记为在册党员（{active[0]['branch__name']}），不在本次导入范围内。请先办理组织关系转接。")
        elif dormant and dormant[-1]["status"] == MemberStatus.DECEASED:
            errors.append(f"该身份证号对应的党员（{dormant[-1]['name']}）已登记为去世，请核对。")
        elif dormant:
            existing = dormant[-1]  # a member who left and came back: the old record is reactivated
    branch = None
    if d.get("branch"):
        branch, reason = scope.resolve_branch(d["branch"], d.get("parent", ""))
        if reason:
            errors.append(reason)
    elif existing is not None:
        branch = scope.orgs.get(existing["branch_id"])
        if branch is None:
            errors.append(f"该党员所在党组织“{existing['branch__name']}”已停用，请填写所在党支部。")
    else:
        branch = default_branch
        if branch is None:
            errors.append("请填写所在党支部。")
    merged = {k: v for k, v in (existing or {}).items() if k not in ("pk", "branch_id", "branch__name")}
    merged.update({k: v for k, v in d.items() if k not in ("branch", "parent", "birth_month_only")})
    merged["branch"] = branch
    merged["status"] = status
    if d.get("birth_month_only") and _same_month(d["birth_date"], number):
        merged["birth_date"] = existing["birth_date"] if existing else None  # 出生年月 1980.05 agrees with the ID
    rule_errors = member_rule_errors(merged, exclude_pk=existing["pk"] if existing else None, check_clash=False)
    for messages in rule_errors.values():
        errors.extend(m for m in messages if m not in errors)
    row.branch_id = branch.pk if branch is not None else None
    row.branch_name = branch.name if branch is not None else d.get("branch", "")
    row.final = merged
    if errors:
        row.status, row.errors = RowStatus.ERROR, errors
        return
    if existing is None:
        row.status = RowStatus.NEW
        return
    row.member_id = existing["pk"]
    changes = {}
    for name in ROSTER_FIELDS:
        if name in d:
            old, new = existing[name], merged[name]
            if old != new:
                changes[LABELS[name]] = [display(name, old), display(name, new)]
    if branch.pk != existing["branch_id"]:
        old_name, new_name = existing["branch__name"], branch.name
        old_branch = scope.orgs.get(existing["branch_id"])
        if old_name == new_name and old_branch is not None:  # a branch of the same name in another town
            old_name, new_name = f"{scope.parent_path(old_branch)}/{old_name}", f"{scope.parent_path(branch)}/{new_name}"
        changes[LABELS["branch"]] = [old_name, new_name]
    if existing["status"] != status:
        changes[LABELS["status"]] = [display("status", existing["status"]), display("status", status)]
    row.changes = changes
    row.status = RowStatus.CHANGED if changes else RowStatus.UNCHANGED


def _same_month(date: dt.date, number: str) -> bool:
    return len(number) == 18 and number[6:12] == f"{date:%Y%m}"
