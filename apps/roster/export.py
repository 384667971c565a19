"""Writing member lists and result lists to .xlsx, with the same Chinese headers the import reads.

A write-only workbook streams rows to disk, so a county's roster doesn't sit in memory. ID numbers are
text cells (Excel would otherwise turn them into 3.62226E+17), and any text a spreadsheet could take
for a formula (= + - @ at the start) gets a leading quote, which the import strips again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from apps.core.idcard import mask_id, mask_phone
from apps.orgs.models import Appraisal, Member, Organization

from .columns import APPRAISAL_COLUMNS, MEMBER_COLUMNS
from .normalize import FORMULA_CHARS
from .plan import Plan

FORMULA_START = (*FORMULA_CHARS, "\t", "\r")
WIDTHS = {
    "name": 12,
    "id_number": 22,
    "branch": 24,
    "parent": 36,
    "post": 24,
    "phone": 15,
    "birth_date": 12,
    "joined_on": 12,
    "confirmed_on": 12,
}


def neutralize(value: object) -> object:
    """Text that starts like a formula is written with a leading quote, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Sheet:
    """A write-only sheet with a title row, a header row and typed cells."""

    def __init__(self, workbook: Workbook, title: str, heading: str, headers: list[str], widths: list[int]):
        self.ws = workbook.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width
        cell = WriteOnlyCell(self.ws, value=heading)
        cell.font = Font(bold=True, size=14)
        self.ws.append([cell])
        row = []
        for header in headers:
            cell = WriteOnlyCell(self.ws, value=header)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
            row.append(cell)
        self.ws.append(row)

    def text(self, value: str) -> Cell:
        cell = WriteOnlyCell(self.ws, value=value)
        cell.number_format = "@"
        return cell

    def append(self, values: list) -> None:
        self.ws.append([v if isinstance(v, Cell) else neutralize(v) for v in values])


class ParentPaths:
    """The 上级党组织 cell of a branch: the names above it, top down ("中共云岭县委员会/中共青山镇委员会").

    Branch names repeat across towns; with this column an export of a whole county imports again."""

    def __init__(self):
        self._names: dict[int, str] | None = None
        self._paths: dict[int, str] = {}

    def __call__(self, branch: Organization) -> str:
        if branch.pk not in self._paths:
            if self._names is None:  # one query for the organization tree, on the first row
                self._names = dict(Organization.objects.values_list("pk", "name"))
            self._paths[branch.pk] = "/".join(self._names[pk] for pk in branch.ancestor_ids()[:-1] if pk in self._names)
        return self._paths[branch.pk]


def _heading(what: str) -> str:
    return f"{what}（导出时间 {timezone.localtime():%Y-%m-%d %H:%M}）"


def write_members(out: IO[bytes], members: QuerySet[Member], *, full: bool, what: str) -> int:
    """One row per member, columns in the import's order. Returns the number of members written."""
    workbook = Workbook(write_only=True)
    sheet = _Sheet(
        workbook, "党员花名册", _heading(what), [c.header for c in MEMBER_COLUMNS], [WIDTHS.get(c.field, 10) for c in MEMBER_COLUMNS]
    )
    count = 0
    fields = ("name", "gender", "id_number", "ethnicity", "birth_date", "education", "category", "joined_on", "confirmed_on", "post")
    rows = members.select_related("branch").only(*fields, "phone", "status", "branch__name", "branch__path")
    parent_path = ParentPaths()
    rows = rows.order_by("branch__path", "name", "pk")
    for m in rows.iterator(chunk_size=2000):
        values = {
            "name": m.name,
            "gender": m.gender,
            "id_number": sheet.text(m.id_number if full else mask_id(m.id_number)),
            "ethnicity": m.ethnicity,
            "birth_date": m.birth_date,
            "education": m.education,
            "category": m.get_category_display(),
            "branch": m.branch.name,
            "parent": parent_path(m.branch),
            "joined_on": m.joined_on,
            "confirmed_on": m.confirmed_on,
            "post": m.post,
            "phone": sheet.text(m.phone if full else mask_phone(m.phone)),
            "status": m.get_status_display(),
        }
        sheet.append([values[c.field] for c in MEMBER_COLUMNS])
        count += 1
    workbook.save(out)
    return count


def write_appraisals(out: IO[bytes], appraisals: QuerySet[Appraisal], *, full: bool, what: str) -> int:
    workbook = Workbook(write_only=True)
    sheet = _Sheet(
        workbook,
        "民主评议结果",
        _heading(what),
        [c.header for c in APPRAISAL_COLUMNS],
        [WIDTHS.get(c.field, 12) for c in APPRAISAL_COLUMNS],
    )
    count = 0
    rows = appraisals.select_related("member__branch").order_by("-year", "member__branch__path", "member__name", "member__pk")
    parent_path = ParentPaths()
    for a in rows.iterator(chunk_size=2000):
        number = a.member.id_number
        values = {
            "name": a.member.name,
            "id_number": sheet.text(number if full else mask_id(number)),
            "branch": a.member.branch.name,
            "parent": parent_path(a.member.branch),
            "year": a.year,
            "grade": a.get_grade_display(),
            "note": a.note,
        }
        sheet.append([values[c.field] for c in APPRAISAL_COLUMNS])
        count += 1
    workbook.save(out)
    return count


def write_plan(out: IO[bytes], plan: Plan, rows: Iterable | None = None) -> int:
    """The preview's result list: each row's outcome and reasons, to fix a file in Excel (IDs masked)."""
    workbook = Workbook(write_only=True)
    headers = ["行号", "结果", "说明", "姓名", "公民身份号码", "所在党支部"]
    sheet = _Sheet(workbook, "检查结果", _heading(f"{plan.file_name} 检查结果"), headers, [8, 8, 60, 12, 22, 24])
    count = 0
    for row in rows if rows is not None else plan.rows:
        reasons = row.errors or row.messages
        sheet.append([row.row, row.status_label, "；".join(reasons), row.name, sheet.text(row.masked_id), row.branch_name])
        count += 1
    workbook.save(out)
    return count


def export_name(what: str, when: dt.datetime | None = None) -> str:
    when = timezone.localtime(when) if when else timezone.localtime()
    return f"{what}_{when:%Y%m%d_%H%M}.xlsx"
