"""Reading a file into a plan, and evaluating a plan against the database of this moment."""

from __future__ import annotations

import hashlib
import json
from typing import IO, Any

from ..bulk import gc_paused
from ..choices import ImportKind
from ..columns import APPRAISAL_COLUMNS, MEMBER_COLUMNS
from ..import_scope import ImportScope
from ..normalize import (
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
from ..reader import RosterFileError, open_table
from .appraisals import evaluate_appraisals
from .members import evaluate_members
from .rows import DATE_FIELDS, LABELS, Plan, Row

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
    with gc_paused():
        table = open_table(stream, file_name, size, columns, required)
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
        evaluate_appraisals(plan, scope)
    else:
        evaluate_members(plan, scope)
    plan.digest = _digest(plan)
    return plan


def _digest(plan: Plan) -> str:
    outcome = [[r.row, r.status, r.member_id, r.branch_id, r.changes, r.errors] for r in plan.rows]
    outcome.append(sorted(m["pk"] for m in plan.missing))
    return hashlib.sha256(json.dumps(outcome, ensure_ascii=False, default=str).encode()).hexdigest()
