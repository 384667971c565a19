"""Evaluating 民主评议 results: each row matched to a member (by ID number, or name and branch) and compared."""

from __future__ import annotations

from apps.core.idcard import mask_id
from apps.orgs.choices import Grade, MemberStatus
from apps.orgs.models import Appraisal

from ..choices import RowStatus
from ..import_scope import ImportScope
from .lookups import chunked, duplicate_error, find_duplicates
from .rows import Plan, Row


def evaluate_appraisals(plan: Plan, scope: ImportScope) -> None:
    rows = plan.rows
    member_fields = ("pk", "name", "id_number", "branch_id", "branch__name")
    active = scope.members().filter(status=MemberStatus.ACTIVE)
    numbers = {r.data["id_number"] for r in rows if r.data.get("id_number")}
    by_number = {m["id_number"]: m for m in chunked(active, "id_number", numbers, member_fields)}
    # Grades of members who have since left (an export lists them too) are passed over, not refused.
    inactive = scope.members().exclude(status=MemberStatus.ACTIVE)
    left = {m["id_number"]: m for m in chunked(inactive, "id_number", numbers - by_number.keys(), ("id_number", "name", "status"))}
    names = {r.data["name"] for r in rows if r.data.get("name") and not r.data.get("id_number")}
    by_name: dict[tuple[str, int], list[dict]] = {}
    for m in chunked(active, "name", names, member_fields):
        by_name.setdefault((m["name"], m["branch_id"]), []).append(m)
    default_branch = scope.default_branch()
    for row in rows:
        number = row.data.get("id_number")
        if number in left and not row.parse_errors:
            gone = left[number]
            row.status, row.member_name = RowStatus.SKIPPED, gone["name"]
            row.note = f"该党员状态为“{MemberStatus(gone['status']).label}”，不导入。"
            continue
        _match_appraisal_row(row, plan.year, scope, by_number, by_name, default_branch)
    duplicates = find_duplicates(rows, lambda r: (r.member_id, r.data.get("year") or plan.year) if r.member_id else None)
    member_ids = {r.member_id for r in rows if r.member_id}
    years = {r.data.get("year") or plan.year for r in rows}
    appraisals = Appraisal.objects.filter(year__in=[y for y in years if y])
    appraisal_fields = ("pk", "member_id", "year", "grade", "note")
    existing = {(a["member_id"], a["year"]): a for a in chunked(appraisals, "member_id", member_ids, appraisal_fields)}
    grade_labels = dict(Grade.choices)
    for row in rows:
        if row.status == RowStatus.SKIPPED:
            continue
        key = (row.member_id, row.data.get("year") or plan.year)
        if key in duplicates:
            row.errors.append(duplicate_error("同一党员同一年度的评议结果", row.row, duplicates[key]))
        if row.errors:
            row.status = RowStatus.ERROR
            continue
        old = existing.get(key)
        grade, note = row.data["grade"], row.data.get("note")
        row.final = {"member_id": row.member_id, "year": key[1], "grade": grade, "note": note, "appraisal_id": old and old["pk"]}
        if old is None:
            row.status = RowStatus.NEW
            continue
        changes = {}
        if old["grade"] != grade:
            changes["评议等次"] = [grade_labels[old["grade"]], grade_labels[grade]]
        if note is not None and old["note"] != note:
            changes["备注"] = [old["note"], note]
        row.changes = changes
        row.status = RowStatus.CHANGED if changes else RowStatus.UNCHANGED


def _match_appraisal_row(row: Row, default_year, scope: ImportScope, by_number, by_name, default_branch) -> None:
    d = row.data
    errors = list(row.parse_errors)
    row.errors = errors
    if not (d.get("year") or default_year) and not any("年度" in e for e in errors):
        errors.append("缺少评议年度（可在上传时选择默认年度）。")
    if not d.get("grade") and not any("评议等次" in e for e in errors):
        errors.append("缺少评议等次。")
    number, name = d.get("id_number"), d.get("name")
    member = None
    if number:
        member = by_number.get(number)
        if member is None:
            errors.append(f"导入范围（{scope.label}）内没有身份证号为 {mask_id(number)} 的在册党员。")
        elif name and name != member["name"]:
            errors.append(f"姓名“{name}”与身份证号不符：系统中该身份证号的党员为“{member['name']}”。")
    elif name:
        branch = default_branch
        if d.get("branch"):
            branch, reason = scope.resolve_branch(d["branch"], d.get("parent", ""))
            if reason:
                errors.append(reason)
        elif branch is None:
            errors.append("没有身份证号时，请填写所在党支部。")
        if branch is not None:
            found = by_name.get((name, branch.pk), [])
            if not found:
                errors.append(f"{branch.name}没有名为“{name}”的在册党员。")
            elif len(found) > 1:
                errors.append(f"{branch.name}有多名党员名为“{name}”，请填写公民身份号码。")
            else:
                member = found[0]
    elif not any("姓名" in e or "公民身份号码" in e for e in errors):
        errors.append("缺少姓名和公民身份号码。")
    if member is not None:
        row.member_id = member["pk"]
        row.branch_id = member["branch_id"]
        row.branch_name = member["branch__name"]
        row.member_name = member["name"]
