"""Reading an uploaded roster: .xlsx row by row (xlsx.py, python-calamine), .csv in whatever encoding it came in.

`open_table()` checks the file (size, that its content is what its extension says, not encrypted, not
damaged), finds the header row below any title rows, and hands out the data rows one by one as
{field: raw value}, stopping with a clear message at the row limit. Every problem with the file as a
whole is a `RosterFileError` with a Chinese message; nothing here raises anything else.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings

from .columns import Column, alias_table, header_key, match_header
from .xlsx import XlsxBook, is_unsafe_xml

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: legacy .xls, or an encrypted .xlsx
HEADER_SEARCH_ROWS = 30
DTD_SEARCH_BYTES = 4096  # a DTD comes before the root element, in the first bytes of a part
DTD_MARKERS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be"))
MAX_UNZIPPED_RATIO = 25  # a workbook this much larger unzipped than the size limit is not a roster


DAMAGED_HINT = "请在 Excel 中打开确认后重新保存再导入。"
DAMAGED = f"Excel 文件已损坏或格式不正确，无法读取。{DAMAGED_HINT}"
UNSAFE = (
    "Excel 文件中含有不允许的 XML 声明（DTD 或实体定义），Excel 本身不会写出这样的文件，已拒绝导入。请在 Excel 中打开确认后重新保存再导入。"
)


class RosterFileError(Exception):
    """The file as a whole can't be imported; `str(exc)` is the Chinese reason."""


@dataclass
class Table:
    """A sheet with its header found: which column holds which field, and the data rows."""

    file_name: str
    sha256: str
    size: int
    sheet: str
    header_row: int
    fields: dict[str, int]
    headers: dict[str, str]
    extra_columns: list[str]
    _rows: Iterator[tuple[int, tuple]] = field(repr=False)
    max_rows: int = 0

    def records(self) -> Iterator[tuple[int, dict[str, object]]]:
        """(sheet row number, {field: raw value}) for every row with a cell filled in."""
        positions = list(self.fields.items())
        needed = max(self.fields.values()) + 1
        count = 0
        for number, values in self._rows:
            if values.count(None) == len(values):  # blank (checked in C); whitespace-only rows drop out after cleaning
                continue
            count += 1
            if count > self.max_rows:
                raise RosterFileError(f"文件的数据超过 {self.max_rows} 行，超出单次导入的上限。请分成几个文件导入。")
            if len(values) < needed:
                values = (*values, *([None] * (needed - len(values))))
            yield number, {name: values[i] for name, i in positions}


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def too_large_message(size: int) -> str:
    limit = _megabytes(settings.ROSTER_MAX_BYTES)
    return f"文件大小约 {_megabytes(size)}，超过 {limit} 的上限。请删去无关的工作表或分成几个文件导入。"


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def open_table(stream: IO[bytes], file_name: str, size: int, columns: tuple[Column, ...], required: tuple[tuple[str, ...], ...]) -> Table:
    """Check the file and find its header. `required` lists groups of fields; each group needs one present."""
    max_bytes, max_rows = settings.ROSTER_MAX_BYTES, settings.ROSTER_MAX_ROWS
    suffix = Path(file_name or "").suffix.lower()
    if size > max_bytes:
        raise RosterFileError(too_large_message(size))
    if size == 0:
        raise RosterFileError("文件是空的（0 字节），请检查后重新选择文件。")
    if suffix == ".xls":
        raise RosterFileError("不支持旧版 Excel（.xls）文件。请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入。")
    if suffix not in (".xlsx", ".csv"):
        shown = suffix or "（无扩展名）"
        raise RosterFileError(f"不支持的文件类型“{shown}”。请上传 Excel 工作簿（.xlsx）或 CSV 文件（.csv）。")
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in stream.read():  # the stream Excel adds to a password-protected workbook
            raise RosterFileError("文件已加密，请先取消密码保护再导入。")
        raise RosterFileError(
            "文件内容与扩展名不符：这是旧版 Excel（.xls）或其他 Office 文件。请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入。"
        )
    sha = _sha256(stream)
    common = {"file_name": file_name, "sha256": sha, "size": size, "max_rows": max_rows}
    if suffix == ".xlsx":
        if not head.startswith(ZIP_MAGIC):
            raise RosterFileError("文件内容与扩展名不符：这不是有效的 Excel 工作簿（.xlsx）。如果是 CSV 文本，请把扩展名改为 .csv。")
        return _open_xlsx(stream, columns, required, max_bytes, common)
    if head.startswith(ZIP_MAGIC):
        raise RosterFileError("文件内容与扩展名不符：这是 Excel 工作簿或压缩文件，不是 CSV 文本。请把扩展名改为 .xlsx，或另存为 CSV。")
    return _open_csv(stream.read(), columns, required, common)


def _open_xlsx(stream, columns, required, max_bytes, common) -> Table:
    try:
        archive = zipfile.ZipFile(stream)
        names = set(archive.namelist())
        unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise RosterFileError(DAMAGED) from None
    if "xl/workbook.xml" not in names:
        archive.close()
        if "word/document.xml" in names:
            raise RosterFileError("文件内容与扩展名不符：这是 Word 文档，不是 Excel 工作簿。")
        raise RosterFileError("文件内容与扩展名不符：这不是有效的 Excel 工作簿（.xlsx）。")
    if unzipped > MAX_UNZIPPED_RATIO * max_bytes:
        archive.close()
        raise RosterFileError("Excel 文件解压后过大，不像是党员名册。请删去无关的工作表后再导入。")
    unsafe = _declares_a_dtd(archive)
    archive.close()  # the checks above are done; calamine reads the stream itself
    if unsafe:
        raise RosterFileError(UNSAFE)
    try:
        book = XlsxBook(stream)
        for title, part in book.sheets:
            found = _find_header(_guarded(book.rows(part)), columns, required)
            if found is not None:
                header_row, fields, headers, extra, rest = found
                return Table(
                    sheet=title,
                    header_row=header_row,
                    fields=fields,
                    headers=headers,
                    extra_columns=extra,
                    _rows=rest,
                    **common,
                )
    except RosterFileError:
        raise
    except Exception as exc:  # a damaged or hostile part: XML errors, missing entries, bad indexes, CRC errors
        raise RosterFileError(UNSAFE if is_unsafe_xml(exc) else DAMAGED) from None
    raise RosterFileError(_no_header_message(columns, required))


def _declares_a_dtd(archive: zipfile.ZipFile) -> bool:
    """Whether an XML part has a DTD (entity declarations live there). No Office part has one; calamine
    would expand nothing anyway, but a file built to attack XML parsers is refused as such."""
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with archive.open(info) as part:
                head = part.read(DTD_SEARCH_BYTES)
            if any(marker in head for marker in DTD_MARKERS):
                return True
    return False


def _guarded(rows: Iterator[tuple[int, tuple]]) -> Iterator[tuple[int, tuple]]:
    """Turn a sheet damaged part-way down into a clear message."""
    number = 0
    try:
        for number, values in rows:  # noqa: B007 - the last number is reported below
            yield number, values
    except Exception as exc:
        if is_unsafe_xml(exc):
            raise RosterFileError(UNSAFE) from None
        raise RosterFileError(f"Excel 文件已损坏，读到第 {number + 1} 行时出错。{DAMAGED_HINT}") from None


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, then GB18030 (a superset of GBK), then a detector."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            pass
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise RosterFileError("无法识别 CSV 文件的文字编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入。")
    return str(best)


def _delimiter(text: str) -> str:
    sample = [line for line in text[:8192].splitlines() if line.strip()][:10]
    counts = {d: sum(line.count(d) for line in sample) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _open_csv(data: bytes, columns, required, common) -> Table:
    text = decode_csv(data)
    if "\x00" in text:
        raise RosterFileError("文件内容与扩展名不符：这不是 CSV 文本文件。")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def rows() -> Iterator[tuple[int, tuple]]:
        number = 0
        try:
            for number, values in enumerate(reader, start=1):  # noqa: B007 - the last number is reported below
                yield number, tuple(values)
        except csv.Error as exc:
            raise RosterFileError(f"CSV 文件第 {number + 1} 行格式错误（{exc}），请检查引号和分隔符。") from None

    found = _find_header(rows(), columns, required)
    if found is None:
        raise RosterFileError(_no_header_message(columns, required))
    header_row, fields, headers, extra, rest = found
    return Table(sheet="", header_row=header_row, fields=fields, headers=headers, extra_columns=extra, _rows=rest, **common)


def _find_header(rows: Iterator[tuple[int, tuple]], columns, required):
    """Look for the header among the first rows (title rows and blank rows above it are common)."""
    aliases = alias_table(columns)
    for number, values in rows:
        fields: dict[str, int] = {}
        headers: dict[str, str] = {}
        extra: list[str] = []
        for index, value in enumerate(values):
            name = match_header(value, aliases)
            if name is not None and name not in fields:
                fields[name] = index
                headers[name] = header_key(value)
            elif header_key(value):
                extra.append(header_key(value))
        if all(any(f in fields for f in group) for group in required) and len(fields) >= 2:
            return number, fields, headers, extra, rows
        if number >= HEADER_SEARCH_ROWS:
            break
    return None


def _no_header_message(columns, required) -> str:
    by_field = {c.field: c.header for c in columns}
    needed = "、".join("或".join(f"“{by_field[f]}”" for f in group) for group in required)
    return f"未找到表头：文件前 {HEADER_SEARCH_ROWS} 行中没有包含{needed}等列名的一行。请确认表头行的列名，例如“姓名”“公民身份号码”“所在党支部”。"
