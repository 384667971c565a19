"""The import's .xlsx reader (python-calamine) gives, value for value, what openpyxl's read-only mode gives,
up to what the import's normalization makes of it anyway: a whole float is an int, a date at midnight
may come as a date."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from apps.roster.xlsx import XlsxBook

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="_="),
    max_size=12,
).filter(lambda s: not s.startswith(("=", "-", "+", "@")))
CELL = st.one_of(
    st.none(),
    TEXT,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64).filter(lambda f: abs(f) < 1e300),
    st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2099, 12, 31)).map(lambda d: d.replace(microsecond=0)),
    st.booleans(),
)
ROWS = st.lists(st.lists(CELL, max_size=8), min_size=1, max_size=12)


def _trim(values) -> tuple:
    values = list(values)
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def _openpyxl_rows(data: bytes) -> dict[int, tuple]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = {n: _trim(v) for n, v in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)}
    workbook.close()
    return {n: v for n, v in rows.items() if v}


def _as_imported(value):
    """A value as the import's cleaners treat it (normalize.py): 5.0 is 5, a midnight datetime is its date."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _openpyxl_values(data: bytes) -> dict[int, tuple]:
    return {n: tuple(map(_as_imported, v)) for n, v in _openpyxl_rows(data).items()}


def _our_rows(data: bytes) -> dict[int, tuple]:
    book = XlsxBook(io.BytesIO(data))
    return {n: _trim(v) for n, v in book.rows(book.sheets[0][1]) if _trim(v)}


def _our_values(data: bytes) -> dict[int, tuple]:
    return {n: tuple(map(_as_imported, v)) for n, v in _our_rows(data).items()}


def _save(rows, *, write_only: bool, epoch=None) -> bytes:
    workbook = Workbook(write_only=write_only)
    ws = workbook.create_sheet("名册") if write_only else workbook.active
    if epoch is not None:
        workbook.epoch = epoch
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS, st.booleans())
def test_same_values_as_openpyxl(rows, write_only):
    data = _save(rows, write_only=write_only)
    assert _our_values(data) == _openpyxl_values(data)


def test_the_1904_calendar_of_old_mac_workbooks():
    rows = [["入党日期", dt.datetime(1998, 7, 1)], ["转正日期", dt.datetime(1999, 7, 1)]]
    data = _save(rows, write_only=False, epoch=CALENDAR_MAC_1904)
    assert _our_values(data) == _openpyxl_values(data) == {1: ("入党日期", dt.date(1998, 7, 1)), 2: ("转正日期", dt.date(1999, 7, 1))}


def test_rich_text_phonetic_guides_cell_types_and_missing_references():
    """What Excel and WPS write and openpyxl doesn't: rich-text runs with pinyin guides, t="str"/"b"/"e"/"d",
    cells without an r="" reference, a date style from the Chinese built-in formats, escaped control characters."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": f'<workbook {ns} {rel_ns}><sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": (
            f'<sst {ns} count="2" uniqueCount="2"><si><r><t>张</t></r><r><rPr><b/></rPr><t>三</t></r><rPh sb="0" eb="1"><t>zhang</t></rPh></si>'
            "<si><t>第一行_x000D_第二行</t></si></sst>"
        ),
        "xl/styles.xml": f'<styleSheet {ns}><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="31"/></cellXfs></styleSheet>',
        "xl/worksheets/sheet1.xml": (
            f"<worksheet {ns}><sheetData>"
            '<row r="2"><c r="B2" t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="str"><v>公式结果</v></c></row>'
            '<row><c r="A3" t="b"><v>1</v></c><c r="C3" t="e"><v>#N/A</v></c><c r="D3" t="d"><v>1998-07-01T00:00:00</v></c>'
            '<c r="E3" s="1"><v>35977</v></c><c r="F3"><v>3.5</v></c><c r="G3"><v>369901199003040017</v></c></row>'
            "</sheetData></worksheet>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    book = XlsxBook(io.BytesIO(out.getvalue()))
    assert book.sheets == [("花名册", "花名册")]
    rows = [(n, _trim(v)) for n, v in book.rows("花名册")]
    assert rows[0] == (1, ()), "rows are numbered as the sheet numbers them, blank ones included"
    assert rows[1] == (2, (None, "张三", "第一行\r第二行", "公式结果"))
    # An error cell reads as empty; an 18-digit number comes as the double Excel itself would have kept
    # (the import then says the ID was stored as a number).
    assert rows[2] == (3, (True, None, None, dt.datetime(1998, 7, 1), dt.date(1998, 7, 1), 3.5, 369901199003040017.0))


def test_chart_sheets_are_passed_over():
    from openpyxl.chart import BarChart, Reference

    workbook = Workbook()
    ws = workbook.active
    ws.title = "名册"
    ws.append(["姓名", "公民身份号码"])
    ws.append(["张三", "x"])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=2))
    workbook.create_chartsheet("图表", 0).add_chart(chart)
    out = io.BytesIO()
    workbook.save(out)
    book = XlsxBook(io.BytesIO(out.getvalue()))
    assert book.sheets == [("名册", "名册")]
    assert list(book.rows("名册")) == [(1, ("姓名", "公民身份号码")), (2, ("张三", "x"))]
