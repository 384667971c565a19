"""What an import plan is made of: the file's rows with their outcome, and the plan around them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from apps.core.idcard import mask_id, mask_phone
from apps.orgs.choices import Category, MemberStatus
from apps.orgs.models import Member

from ..choices import RowStatus

DATE_FIELDS = ("birth_date", "joined_on", "confirmed_on")
LABELS = {f.name: str(f.verbose_name) for f in Member._meta.concrete_fields}
CHOICE_LABELS = {"category": dict(Category.choices), "status": dict(MemberStatus.choices)}
MASKS = {"phone": mask_phone, "id_number": mask_id}


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

    def inputs(self) -> Plan:
        """The same file's rows without any result, to evaluate afresh."""
        rows = [Row(r.row, dict(r.data), list(r.parse_errors)) for r in self.rows]
        return Plan(**{**self.__dict__, "rows": rows, "missing": [], "digest": ""})


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
