"""A lean streaming reader for the values of an .xlsx worksheet, row by row.

openpyxl's read-only mode builds a cell dict for every cell and a rich-text object for every string
before `values_only` throws them away; for a 30,000-row roster that costs more than all of the import's
own checks together. The import needs values only, so this module reads the sheet XML itself with the
C parser (ElementTree.iterparse, through defusedxml), clearing each row once read, and applies openpyxl's own rules for what a
cell holds: its number casting, its test of which number formats are dates, its Excel-serial conversion
(`from_excel`, 1900 and 1904 calendars). tests/test_roster_xlsx.py checks it value for value against
openpyxl on generated workbooks. openpyxl still writes every export.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from functools import partial

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as _fromstring
from defusedxml.ElementTree import iterparse as _iterparse
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

# Uploaded XML goes through defusedxml: a part with a DTD (so any entity declaration, an expansion bomb,
# an external entity) is refused before anything is expanded or fetched; no Office part has a DTD. The
# reader (reader.py) also refuses workbooks that unzip to more than 25× the size limit.
fromstring = partial(_fromstring, forbid_dtd=True)
iterparse = partial(_iterparse, forbid_dtd=True)
UnsafeXml = DefusedXmlException

MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# Built-in number formats that are dates in East Asian versions of Excel (not in openpyxl's table).
CJK_DATE_FORMAT_IDS = frozenset(range(27, 37)) | frozenset(range(50, 59))
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """Excel writes control characters in strings as _xHHHH_."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _date(serial: float, epoch):
    """A date-formatted number as a datetime; a serial no calendar has stays a number (the import explains)."""
    try:
        return from_excel(serial, epoch)
    except (OverflowError, ValueError):
        return serial


class XlsxBook:
    """The sheets of a workbook (name and part), its shared strings and which cell styles are dates."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        workbook = fromstring(archive.read("xl/workbook.xml"))
        self.ns = workbook.tag[: workbook.tag.index("}") + 1] if workbook.tag.startswith("{") else MAIN_NS
        ns = self.ns
        rels = self._rels("xl/_rels/workbook.xml.rels")
        props = workbook.find(f"{ns}workbookPr")
        date1904 = props is not None and props.get("date1904", "").lower() in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.sheets: list[tuple[str, str]] = []
        for sheet in workbook.iter(f"{ns}sheet"):
            rel = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            if rel in rels:
                self.sheets.append((sheet.get("name", ""), rels[rel][1]))
        by_type = {kind.rsplit("/", 1)[-1]: path for kind, path in rels.values()}
        self.strings = self._shared_strings(by_type.get("sharedStrings"))
        self.date_styles = self._date_styles(by_type.get("styles"))

    def _rels(self, path: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, part path) of the workbook."""
        found = {}
        for rel in fromstring(self.archive.read(path)):
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            found[rel.get("Id")] = (rel.get("Type", ""), part)
        return found

    def _text(self, node) -> str:
        """The text of a string item: plain <t> and the runs' <t>, without phonetic guides (<rPh>)."""
        ns = self.ns
        parts = []
        for child in node:
            if child.tag == f"{ns}t":
                parts.append(child.text or "")
            elif child.tag == f"{ns}r":
                t = child.find(f"{ns}t")
                if t is not None:
                    parts.append(t.text or "")
        return _unescape("".join(parts))

    def _shared_strings(self, path: str | None) -> list[str]:
        if not path or path not in self.archive.NameToInfo:
            return []
        strings = []
        item = f"{self.ns}si"
        with self.archive.open(path) as source:
            for _event, node in iterparse(source):
                if node.tag == item:
                    strings.append(self._text(node).replace("x005F_", ""))
                    node.clear()
        return strings

    def _date_styles(self, path: str | None) -> frozenset[str]:
        if not path or path not in self.archive.NameToInfo:
            return frozenset()
        ns = self.ns
        styles = fromstring(self.archive.read(path))
        custom = {int(f.get("numFmtId", -1)): f.get("formatCode") for f in styles.iter(f"{ns}numFmt")}
        xfs = styles.find(f"{ns}cellXfs")
        dates = set()
        for index, xf in enumerate(xfs if xfs is not None else []):
            fmt_id = int(xf.get("numFmtId", 0))
            code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id))
            if fmt_id in CJK_DATE_FORMAT_IDS or is_date_format(code):
                dates.add(index)
        return frozenset(str(index) for index in dates)  # compared with the s="" attribute as written

    def rows(self, path: str) -> Iterator[tuple[int, tuple]]:
        """(row number, cell values) for each row present in the sheet, in order."""
        ns = self.ns
        row_tag, cell_tag, value_tag, inline_tag = f"{ns}row", f"{ns}c", f"{ns}v", f"{ns}is"
        strings, date_styles, epoch = self.strings, self.date_styles, self.epoch
        columns: dict[str, int] = {}
        number = 0
        with self.archive.open(path) as source:
            for _event, element in iterparse(source):
                if element.tag != row_tag:
                    continue
                r = element.get("r")
                number = int(r) if r else number + 1
                values: list = []
                for cell in element.iter(cell_tag):
                    ref = cell.get("r")
                    if ref:
                        letters = ref.rstrip("0123456789")
                        index = columns.get(letters)
                        if index is None:
                            index = columns[letters] = column_index_from_string(letters) - 1
                    else:
                        index = len(values)
                    kind = cell.get("t", "n")
                    if kind == "inlineStr":
                        node = cell.find(inline_tag)
                        value = self._text(node) if node is not None else None
                    else:
                        value = cell.findtext(value_tag) or None
                        if value is not None:
                            if kind == "n":
                                value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
                                if cell.get("s") in date_styles:
                                    value = _date(value, epoch)
                            elif kind == "s":
                                value = strings[int(value)]
                            elif kind == "b":
                                value = bool(int(value))
                            elif kind == "d":
                                value = from_ISO8601(value)
                            elif kind == "str":
                                value = _unescape(value)
                    if index >= len(values):
                        values.extend([None] * (index - len(values) + 1))
                    values[index] = value
                element.clear()
                yield number, tuple(values)
