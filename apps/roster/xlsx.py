"""The values of an uploaded .xlsx worksheet, row by row, read with python-calamine.

calamine (Rust: quick-xml and zip) parses the Office XML of the upload. It expands no entity and reads
no DTD: an entity-expansion bomb or an external entity is an unknown entity to it, and the workbook is
refused (reader.py says so in Chinese). It also reads twice as fast as the hand-written ElementTree
reader it replaced, behind defusedxml (the import benchmark, bench/bench_import.py: preview + import of
30,000 rows at 0.72× openpyxl's bare read instead of 1.36×; a re-import preview 4× faster).

The cells come back as what openpyxl would give after the import's own normalization (normalize.py):
text, numbers (int when whole and exact), dates (datetime.date, or datetime with a time of day), and
None for an empty cell. Row numbers and column positions are the sheet's, so messages name the row Excel shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from python_calamine import CalamineWorkbook, SheetTypeEnum, XmlError

EXACT_INT = 2**53  # whole numbers below this are exact in a double, so int() changes nothing


def is_unsafe_xml(exc: Exception) -> bool:
    """A part that declares or uses entities: refused as a hostile file, not reported as damaged."""
    return isinstance(exc, XmlError) and ("entity" in str(exc).lower() or "doctype" in str(exc).lower())


def _value(value):
    if value == "":
        return None
    if type(value) is float and value.is_integer() and -EXACT_INT < value < EXACT_INT:
        return int(value)
    return value


class XlsxBook:
    """The worksheets of a workbook by name, and their rows."""

    def __init__(self, stream: IO[bytes]):
        stream.seek(0)
        self.workbook = CalamineWorkbook.from_filelike(stream)
        # Worksheets only (a chart sheet has no cells); hidden ones too, as Excel's own import does.
        self.sheets: list[tuple[str, str]] = [
            (sheet.name, sheet.name) for sheet in self.workbook.sheets_metadata if sheet.typ == SheetTypeEnum.WorkSheet
        ]

    def rows(self, name: str) -> Iterator[tuple[int, tuple]]:
        """(row number, cell values) for each row of the sheet from the first, blank rows included."""
        sheet = self.workbook.get_sheet_by_name(name)
        # calamine's rows start at row 1 but at the first column that holds a cell: put back the ones before.
        before = (None,) * (sheet.start[1] if sheet.start else 0)
        for number, values in enumerate(sheet.iter_rows(), start=1):
            yield number, (*before, *map(_value, values))
