"""A plan as JSON, kept in ImportBatch.payload between the preview and the confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .rows import DATE_FIELDS, Plan, Row


def to_payload(plan: Plan) -> dict[str, Any]:
    """JSON for ImportBatch.payload: one short list per row, the cells in the order of `fields`."""
    meta = {k: getattr(plan, k) for k in ("kind", "file_name", "sha256", "size", "sheet", "header_row", "headers")}
    meta |= {k: getattr(plan, k) for k in ("extra_columns", "scope_id", "scope_label", "year", "missing", "digest")}
    fields = sorted({name for row in plan.rows for name in row.data})
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
        for r in plan.rows
    ]
    return meta | {"fields": fields, "rows": rows}


def from_payload(payload: dict[str, Any]) -> Plan:
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
    return Plan(rows=rows, **meta)


def _to_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value
