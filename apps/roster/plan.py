"""The import plan: what an uploaded file would do to the roster, row by row, before anything is written.

`build_plan()` reads and normalizes the file once; `evaluate()` compares the normalized rows with the
database (new / changed / unchanged / error / skipped, and the members of the scope the file doesn't
list). The plan is stored as JSON between the preview and the confirmation; on confirmation the same
rows are evaluated again against the database of that moment, and the two digests must agree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import connection

from apps.core.idcard import mask_id, mask_phone
from apps.orgs.choices import Category, Grade, MemberStatus
from apps.orgs.models import Appraisal, Member
from apps.orgs.rules import member_rule_errors

from .bulk import gc_paused
from .choices import COLOURS, ImportKind, RowStatus
from .columns import APPRAISAL_COLUMNS, MEMBER_COLUMNS
from .normalize import (
    CellError,
    clean_category,
    clean_education,
    clean_ethnicity,
    clean_gender,
    clean_grade,
    clean_id,
    clean_name,
    clean_note,
    clean_phone,
    clean_post,
    clean_status,
    clean_text,
    clean_year,
    parse_date,
)
from .reader import RosterFileError, open_table
from .scope import ImportScope

DATE_FIELDS = ("birth_date", "joined_on", "confirmed_on")
CLEANERS = {
    "name": clean_name,
    "gender": clean_gender,
    "id_number": clean_id,
    "ethnicity": clean_ethnicity,
    "education": clean_education,
    "category": clean_category,
    "branch": clean_text,
    "parent": clean_text,
    "post": clean_post,
    "phone": clean_phone,
    "status": clean_status,
    "year": clean_year,
    "grade": clean_grade,
    "note": clean_note,
}
LABELS = {f.name: str(f.verbose_name) for f in Member._meta.concrete_fields}
CHOICE_LABELS = {"category": dict(Category.choices), "status": dict(MemberStatus.choices)}
MASKS = {"phone": mask_phone, "id_number": mask_id}
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


@dataclass
class Row:
    """One data row of the file: its normalized cells and what it would do."""

    row: int
    data: dict[str, Any]
    parse_errors: list[str]
    status: str = ""
    errors: list[str] = field(default_factory=list)
    changes: dict[str, list[Any]] = field(default_factory=dict)
    member_id: int | None = None
    branch_id: int | None = None
    branch_name: str = ""
    note: str = ""
    member_name: str = ""  # the member an appraisal row was matched to
    final: dict[str, Any] = field(default_factory=dict, repr=False)  # values to write; recomputed, never stored

    @property
    def name(self) -> str:
        return self.data.get("name") or self.member_name

    @property
    def masked_id(self) -> str:
        return mask_id(self.data.get("id_number", ""))

    @property
    def status_label(self) -> str:
        return RowStatus(self.status).label if self.status else ""

    @property
    def colour(self) -> str:
        return COLOURS.get(self.status, "grey")

    @property
    def messages(self) -> list[str]:
        """What the preview says about the row, each sentence prefixed with the sheet row number."""
        if self.errors:
            return [f"第{self.row}行：{e}" for e in self.errors]
        if self.changes:
            return [f"{label}：{old or '（空）'} → {new or '（空）'}" for label, (old, new) in self.changes.items()]
        return [self.note] if self.note else []


@dataclass
class Plan:
    kind: str
    file_name: str
    sha256: str
    size: int
    sheet: str
    header_row: int
    headers: dict[str, str]
    extra_columns: list[str]
    scope_id: int | None
    scope_label: str
    year: int | None
    rows: list[Row]
    missing: list[dict[str, Any]] = field(default_factory=list)
    digest: str = ""

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(RowStatus.values, 0)
        for row in self.rows:
            counts[row.status] += 1
        counts["missing"] = len(self.missing)
        counts["total"] = len(self.rows)
        return counts

    @property
    def error_rows(self) -> list[Row]:
        return [r for r in self.rows if r.status == RowStatus.ERROR]

    def to_payload(self) -> dict[str, Any]:
        """JSON for ImportBatch.payload: one short list per row, the cells in the order of `fields`."""
        meta = {k: getattr(self, k) for k in ("kind", "file_name", "sha256", "size", "sheet", "header_row", "headers")}
        meta |= {k: getattr(self, k) for k in ("extra_columns", "scope_id", "scope_label", "year", "missing", "digest")}
        fields = sorted({name for row in self.rows for name in row.data})
        rows = [
            [
                r.row,
                r.status,
                [_to_json(r.data.get(name)) for name in fields],
                r.parse_errors,
                r.errors,
                r.changes,
                r.member_id,
                r.branch_id,
                r.branch_name,
                r.note,
                r.member_name,
            ]
            for r in self.rows
        ]
        return meta | {"fields": fields, "rows": rows}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Plan:
        fields = payload["fields"]
        dates = [i for i, name in enumerate(fields) if name in DATE_FIELDS]
        rows = []
        for number, status, values, parse_errors, errors, changes, member_id, branch_id, branch_name, note, member_name in payload["rows"]:
            for i in dates:
                if values[i] is not None:
                    values[i] = dt.date.fromisoformat(values[i])
            data = {name: value for name, value in zip(fields, values, strict=True) if value is not None}
            rows.append(Row(number, data, parse_errors, status, errors, changes, member_id, branch_id, branch_name, note, member_name))
        meta = {k: v for k, v in payload.items() if k not in ("rows", "fields")}
        return cls(rows=rows, **meta)

    def inputs(self) -> Plan:
        """The same file's rows without any result, to evaluate afresh."""
        rows = [Row(r.row, dict(r.data), list(r.parse_errors)) for r in self.rows]
        return Plan(**{**self.__dict__, "rows": rows, "missing": [], "digest": ""})


def _to_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def normalize_record(raw: dict[str, object]) -> tuple[dict[str, Any], list[str]]:
    """Clean every cell of a row; a cell that can't be understood becomes a reason, not an exception."""
    data: dict[str, Any] = {}
    errors: list[str] = []
    for name, value in raw.items():
        try:
            if name in DATE_FIELDS:
                parsed = parse_date(value)
                if parsed is None:
                    continue
                if name == "birth_date" and parsed.month_only:
                    data["birth_month_only"] = True
                clean = parsed.date
            else:
                clean = CLEANERS[name](value)
        except CellError as exc:
            errors.append(f"{LABELS[name]}：{exc}" if name in DATE_FIELDS else str(exc))
            continue
        if clean not in ("", None):
            data[name] = clean
    return data, errors


def _normalized(records):
    for number, raw in records:
        data, errors = normalize_record(raw)
        if data or errors:  # a row of spaces only is a blank row
            yield number, (data, errors)


def build_plan(stream: IO[bytes], file_name: str, size: int, *, kind: str, scope: ImportScope, year: int | None = None) -> Plan:
    """Read the file, normalize every row and evaluate it; raises RosterFileError for a file that can't be used."""
    if kind == ImportKind.APPRAISALS:
        columns, required = APPRAISAL_COLUMNS, (("grade",), ("id_number", "name"))
    else:
        columns, required = MEMBER_COLUMNS, (("name",), ("id_number",))
    with gc_paused(), open_table(stream, file_name, size, columns, required) as table:
        rows = [Row(number, data, errors) for number, (data, errors) in _normalized(table.records())]
        plan = Plan(
            kind=kind,
            file_name=file_name,
            sha256=table.sha256,
            size=size,
            sheet=table.sheet,
            header_row=table.header_row,
            headers=table.headers,
            extra_columns=table.extra_columns,
            scope_id=scope.root.pk if scope.root is not None else None,
            scope_label=scope.label,
            year=year,
            rows=rows,
        )
        if not rows:
            raise RosterFileError(f"表头（第 {table.header_row} 行）下方没有数据，文件中没有可导入的记录。")
        return evaluate(plan, scope)


def evaluate(plan: Plan, scope: ImportScope) -> Plan:
    if plan.kind == ImportKind.APPRAISALS:
        _evaluate_appraisals(plan, scope)
    else:
        _evaluate_members(plan, scope)
    plan.digest = _digest(plan)
    return plan


def _digest(plan: Plan) -> str:
    outcome = [[r.row, r.status, r.member_id, r.branch_id, r.changes, r.errors] for r in plan.rows]
    outcome.append(sorted(m["pk"] for m in plan.missing))
    return hashlib.sha256(json.dumps(outcome, ensure_ascii=False, default=str).encode()).hexdigest()


def display(name: str, value: Any) -> str:
    """A value as the preview and the audit log show it (labels for choices, masked ID and phone)."""
    if value is None or value == "":
        return ""
    if name in DATE_FIELDS:
        return value.isoformat()
    if name in MASKS:
        return MASKS[name](value)
    if name in CHOICE_LABELS:
        return CHOICE_LABELS[name].get(value, value)
    return value


def _by_id_number(numbers: Iterable[str], fields: tuple[str, ...]) -> dict[str, list[dict]]:
    """Members (any status, anywhere) holding these ID numbers."""
    found: dict[str, list[dict]] = {}
    for values in _chunked(Member.objects.all(), "id_number", {n for n in numbers if len(n) == 18}, fields):
        found.setdefault(values["id_number"], []).append(values)
    return found


def _duplicates(rows: list[Row], key) -> dict[Any, list[int]]:
    seen: dict[Any, list[int]] = {}
    for row in rows:
        k = key(row)
        if k:
            seen.setdefault(k, []).append(row.row)
    return {k: v for k, v in seen.items() if len(v) > 1}


def _duplicate_error(what: str, here: int, rows: list[int]) -> str:
    return f"{what}与第{'、'.join(str(r) for r in rows if r != here)}行重复。"


def _evaluate_members(plan: Plan, scope: ImportScope) -> None:
    rows = plan.rows
    numbers = {r.data["id_number"] for r in rows if r.data.get("id_number")}
    in_scope = {m["id_number"]: m for m in scope.members().filter(status=MemberStatus.ACTIVE).values(*VALUE_FIELDS)}
    elsewhere = _by_id_number(numbers - in_scope.keys(), VALUE_FIELDS)
    duplicates = _duplicates(rows, lambda r: r.data.get("id_number"))
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
        errors.append(_duplicate_error("公民身份号码", row.row, duplicates[number]))
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


def _evaluate_appraisals(plan: Plan, scope: ImportScope) -> None:
    rows = plan.rows
    member_fields = ("pk", "name", "id_number", "branch_id", "branch__name")
    active = scope.members().filter(status=MemberStatus.ACTIVE)
    numbers = {r.data["id_number"] for r in rows if r.data.get("id_number")}
    by_number = {m["id_number"]: m for m in _chunked(active, "id_number", numbers, member_fields)}
    # Grades of members who have since left (an export lists them too) are passed over, not refused.
    inactive = scope.members().exclude(status=MemberStatus.ACTIVE)
    left = {m["id_number"]: m for m in _chunked(inactive, "id_number", numbers - by_number.keys(), ("id_number", "name", "status"))}
    names = {r.data["name"] for r in rows if r.data.get("name") and not r.data.get("id_number")}
    by_name: dict[tuple[str, int], list[dict]] = {}
    for m in _chunked(active, "name", names, member_fields):
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
    duplicates = _duplicates(rows, lambda r: (r.member_id, r.data.get("year") or plan.year) if r.member_id else None)
    member_ids = {r.member_id for r in rows if r.member_id}
    years = {r.data.get("year") or plan.year for r in rows}
    appraisals = Appraisal.objects.filter(year__in=[y for y in years if y])
    appraisal_fields = ("pk", "member_id", "year", "grade", "note")
    existing = {(a["member_id"], a["year"]): a for a in _chunked(appraisals, "member_id", member_ids, appraisal_fields)}
    grade_labels = dict(Grade.choices)
    for row in rows:
        if row.status == RowStatus.SKIPPED:
            continue
        key = (row.member_id, row.data.get("year") or plan.year)
        if key in duplicates:
            row.errors.append(_duplicate_error("同一党员同一年度的评议结果", row.row, duplicates[key]))
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


def _chunked(queryset, name: str, values: set, fields: tuple[str, ...]) -> Iterable[dict]:
    """queryset.filter(name__in=values) in chunks, so no database meets a query with 30,000 parameters."""
    ordered = sorted(values)
    chunk = min(connection.features.max_query_params or 5000, 5000) - 10  # SQLite: 999; PostgreSQL: no limit
    for start in range(0, len(ordered), chunk):
        yield from queryset.filter(**{f"{name}__in": ordered[start : start + chunk]}).values(*fields)


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
