"""Bad roster files: each gets a clear Chinese message, never a 500, and nothing is written — through the
upload page and through `manage.py import_roster` alike. Every file here is a real file made by the test."""

from __future__ import annotations

import codecs
import io
import json
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from apps.audit.models import AuditLog
from apps.orgs.models import Member
from apps.roster.models import ImportBatch

from .roster_files import HEADERS, csv_bytes, new_id, person, table, upload, xlsx

GOOD_ROWS = table([person(1, "东岭村党支部"), person(2, "南坑村党支部")])
GOOD_XLSX = xlsx(GOOD_ROWS)
GOOD_CSV = csv_bytes(GOOD_ROWS)


def _encrypted_workbook() -> bytes:
    """What Excel saves for a workbook with an open password: a Compound File holding EncryptionInfo."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    directory = "Root Entry".encode("utf-16-le").ljust(64, b"\x00") + "EncryptionInfo".encode("utf-16-le").ljust(64, b"\x00")
    return header.ljust(512, b"\x00") + directory.ljust(1024, b"\x00") + b"\x00" * 2048


def _legacy_xls() -> bytes:
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    return header.ljust(512, b"\x00") + "Workbook".encode("utf-16-le").ljust(128, b"\x00") + b"\x00" * 2048


def _zip(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _broken_sheet() -> bytes:
    """A real workbook whose worksheet XML is cut off in the middle of the data."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(table([person(i, "东岭村党支部") for i in range(1, 40)]))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            archive.writestr(info.filename, data)
    return out.getvalue()


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10))
    + "]>"
)
EXTERNAL = '<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
SHARED_STRINGS = "xl/sharedStrings.xml"
LONG_COMMENT = f"<!-- {'注释' * 3000} -->"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _hostile(part: str, doctype: str, entity: str) -> bytes:
    """GOOD_XLSX with a DTD before the root of one part and its entity used in the first text or value."""
    source = zipfile.ZipFile(io.BytesIO(GOOD_XLSX))
    parts = {info.filename: source.read(info.filename).decode() for info in source.infolist()}
    if part == SHARED_STRINGS:  # openpyxl writes none: add one, as Excel and WPS do
        parts[part] = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>甲</t></si></sst>'
        rel = f'<Relationship Id="rIdS" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace("</Relationships>", rel)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
        override = f'<Override PartName="/{SHARED_STRINGS}" ContentType="{kind}"/></Types>'
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace("</Types>", override)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            if name == part:
                head, sep, rest = data.partition("?>")
                data = (head + sep + doctype + rest) if sep else doctype + data
                data = re.sub(r"<(t|v)>[^<]*</\1>", lambda m: f"<{m.group(1)}>{entity}</{m.group(1)}>", data, count=1)
            archive.writestr(name, data)
    return out.getvalue()


UNSAFE = "Excel 文件中含有不允许的 XML 声明（DTD 或实体定义）"
HOSTILE_FILES = [
    ("billion-laughs-in-shared-strings", "名册.xlsx", _hostile(SHARED_STRINGS, LAUGHS, "&lol9;"), UNSAFE),
    ("billion-laughs-in-the-sheet", "名册.xlsx", _hostile("xl/worksheets/sheet1.xml", LAUGHS, "&lol9;"), UNSAFE),
    ("external-entity-in-shared-strings", "名册.xlsx", _hostile(SHARED_STRINGS, EXTERNAL, "&secret;"), UNSAFE),
    ("external-entity-in-the-sheet", "名册.xlsx", _hostile("xl/worksheets/sheet1.xml", EXTERNAL, "&secret;"), UNSAFE),
    ("external-entity-in-the-workbook", "名册.xlsx", _hostile("xl/workbook.xml", EXTERNAL, "&secret;"), UNSAFE),
    ("external-entity-in-the-styles", "名册.xlsx", _hostile("xl/styles.xml", EXTERNAL, ""), UNSAFE),
    # A DTD behind a long comment, past the reader's look-out for one: calamine still expands nothing.
    ("laughs-behind-a-comment-in-the-sheet", "名册.xlsx", _hostile("xl/worksheets/sheet1.xml", LONG_COMMENT + LAUGHS, "&lol9;"), UNSAFE),
    # (calamine then fails to open the workbook at all, which reads as a damaged file)
    (
        "entity-behind-a-comment-in-shared-strings",
        "名册.xlsx",
        _hostile(SHARED_STRINGS, LONG_COMMENT + EXTERNAL, "&secret;"),
        "Excel 文件已损坏或格式不正确",
    ),
    ("doctype-in-the-relationships", "名册.xlsx", _hostile("xl/_rels/workbook.xml.rels", EXTERNAL, ""), UNSAFE),
]

BAD_FILES = [
    ("wrong-extension", "名册.txt", GOOD_CSV, "不支持的文件类型“.txt”"),
    ("no-extension", "名册", GOOD_CSV, "不支持的文件类型“（无扩展名）”"),
    ("legacy-xls-extension", "名册.xls", _legacy_xls(), "不支持旧版 Excel（.xls）"),
    ("csv-named-xlsx", "名册.xlsx", GOOD_CSV, "文件内容与扩展名不符：这不是有效的 Excel 工作簿"),
    ("xlsx-named-csv", "名册.csv", GOOD_XLSX, "文件内容与扩展名不符：这是 Excel 工作簿或压缩文件"),
    ("pdf-named-xlsx", "名册.xlsx", b"%PDF-1.7\n" + b"x" * 500, "文件内容与扩展名不符"),
    ("legacy-xls-named-xlsx", "名册.xlsx", _legacy_xls(), "旧版 Excel（.xls）"),
    ("word-named-xlsx", "名册.xlsx", _zip({"word/document.xml": "<w:document/>", "[Content_Types].xml": "<Types/>"}), "这是 Word 文档"),
    ("truncated-xlsx", "名册.xlsx", GOOD_XLSX[: len(GOOD_XLSX) // 2], "Excel 文件已损坏"),
    (
        "garbage-workbook-xml",
        "名册.xlsx",
        _zip({"xl/workbook.xml": "<workbook><sheets", "[Content_Types].xml": "<Types/>"}),
        "Excel 文件已损坏",
    ),
    ("cut-off-sheet", "名册.xlsx", _broken_sheet(), "Excel 文件已损坏"),
    ("password-protected", "名册.xlsx", _encrypted_workbook(), "文件已加密，请先取消密码保护再导入"),
    ("binary-named-csv", "名册.csv", b"\x00\x01\x02\x03" * 200, "不是 CSV 文本文件"),
    ("no-header", "名册.xlsx", xlsx([["序号", "名字", "号码"], [1, "张三", "x"]], title="某某表"), "未找到表头"),
    ("no-header-csv", "名册.csv", "甲,乙,丙\n1,2,3\n".encode("gbk"), "未找到表头"),
    ("header-only", "名册.xlsx", xlsx([HEADERS], title="花名册"), "表头（第 2 行）下方没有数据"),
    ("blank-rows-only", "名册.csv", codecs.BOM_UTF8 + ",".join(HEADERS).encode() + b"\r\n ,  ,\r\n\r\n", "下方没有数据"),
    ("csv-field-too-long", "名册.csv", (",".join(HEADERS) + '\n"' + "长" * 200_000 + '"\n').encode(), "CSV 文件第 2 行格式错误"),
    *HOSTILE_FILES,
]


def _state():
    return (
        sorted(Member.objects.values_list("pk", "name", "status", "branch_id", "phone")),
        ImportBatch.objects.count(),
        AuditLog.objects.exclude(action__startswith="user.").count(),
    )


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize(("case", "name", "content", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_through_the_upload_page(world, login, case, name, content, message):
    before = _state()
    response = upload(login(world.office), content, name)
    assert response.status_code == 400
    assert message in _text(response)
    assert _state() == before


@pytest.mark.parametrize(("case", "name", "content", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_through_the_command(world, tmp_path, case, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = _state()
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_roster", str(path), stdout=io.StringIO())
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", str(path), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert message in report["error"] and report["applied"] is False
    assert _state() == before


def test_an_empty_file(world, login, tmp_path):
    before = _state()
    response = upload(login(world.office), b"", "名册.xlsx")
    assert response.status_code == 400 and "文件是空的" in _text(response)
    path = tmp_path / "名册.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="文件是空的"):
        call_command("import_roster", str(path), stdout=io.StringIO())
    assert _state() == before


def test_no_file_at_all(world, login):
    response = login(world.office).post("/roster/import/", {"kind": "members"})
    assert response.status_code == 400 and "请填写文件" in _text(response)


def test_more_rows_than_the_limit(world, login, tmp_path, settings):
    assert settings.ROSTER_MAX_ROWS == 50_000
    line = f"某人,{new_id(1)}\n".encode()
    content = "姓名,公民身份号码\n".encode() + line * 50_001
    before = _state()
    response = upload(login(world.office), content, "名册.csv")
    assert response.status_code == 400 and "文件的数据超过 50000 行" in _text(response)
    path = tmp_path / "名册.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="超过 50000 行"):
        call_command("import_roster", str(path), stdout=io.StringIO())
    assert _state() == before


def test_exactly_the_row_limit_is_read(world, login, settings):
    settings.ROSTER_MAX_ROWS = 3
    response = upload(login(world.office), csv_bytes(table([person(i, "东岭村党支部") for i in range(1, 4)])), "名册.csv")
    assert response.status_code == 302


def test_a_file_over_the_size_limit(world, login, tmp_path, settings):
    assert settings.ROSTER_MAX_BYTES == 20 * 1024 * 1024
    content = GOOD_CSV + b" " * (20 * 1024 * 1024)  # padded: the rows are fine, the size is not
    before = _state()
    response = upload(login(world.office), content, "名册.csv")
    assert response.status_code == 400
    assert "超过 20.0 MB 的上限" in _text(response)
    path = tmp_path / "名册.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="超过 20.0 MB 的上限"):
        call_command("import_roster", str(path), stdout=io.StringIO())
    assert _state() == before


@override_settings(ROSTER_MAX_BYTES=1024)
def test_the_size_limit_stops_reading_the_upload_and_keeps_the_other_fields(world, login):
    response = upload(login(world.office), GOOD_CSV + b" " * 2048, "名册.csv", kind="appraisals", year="2024")
    assert response.status_code == 400
    body = _text(response)
    assert "超过 1 KB 的上限" in body
    assert 'value="appraisals" selected' in body, "the fields before the file are still there"
    assert not ImportBatch.objects.exists()


def test_an_id_that_excel_stored_as_a_number(world, login):
    rows = table([person(1, "东岭村党支部")])
    rows[1][HEADERS.index("公民身份号码")] = float(new_id(1))
    before = _state()
    response = upload(login(world.office), xlsx(rows), "名册.xlsx")
    page = login(world.office).get(response["Location"])
    assert "第2行：公民身份号码被存成了数字（显示为 3.69901e+17），末几位已丢失" in _text(page)
    assert Member.objects.count() == len(before[0])


def test_duplicates_rare_characters_and_emoji_through_the_command(world, tmp_path):
    rows = table([person(1, "东岭村党支部", "𠀾䶮"), person(2, "东岭村党支部", "小明🎉"), person(1, "南坑村党支部")])
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx(rows))
    before = _state()
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 行错误"):
        call_command("import_roster", str(path), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["counts"]["error"] == 3 and report["applied"] is False
    reasons = {e["row"]: " ".join(e["reasons"]) for e in report["errors"]}
    assert "与第4行重复" in reasons[2] and "与第2行重复" in reasons[4]
    assert "含有无效字符“🎉”" in reasons[3]
    assert _state() == before
