"""Real roster files for the roster tests: .xlsx through openpyxl, .csv in the encodings towns use.

Every person is invented: ID numbers use the fictitious region code 369901 and birth dates in the
1990s, so they never collide with the `world` fixture's members (born 1980).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from apps.core.idcard import make_id

HEADERS = [
    "姓名",
    "性别",
    "公民身份号码",
    "民族",
    "出生日期",
    "学历",
    "人员类别",
    "所在党支部",
    "入党日期",
    "转正日期",
    "工作岗位",
    "联系电话",
]


def new_id(seq: int, birth: dt.date = dt.date(1990, 3, 4)) -> str:
    return make_id("369901", birth + dt.timedelta(days=seq // 900), seq % 900 + 1)


def cn_name(seq: int) -> str:
    """测试 followed by the number in Chinese digits (names may not contain Arabic digits)."""
    return "测试" + "".join("零一二三四五六七八九"[int(d)] for d in str(seq))


def gender_of(number: str) -> str:
    return "男" if int(number[16]) % 2 else "女"


def person(seq: int, branch: str, name: str | None = None, **overrides) -> dict[str, object]:
    """One roster row as {header: value}, valid unless overridden."""
    number = overrides.pop("id_number", None) or new_id(seq)
    row = {
        "姓名": name or cn_name(seq),
        "性别": gender_of(number),
        "公民身份号码": number,
        "民族": "汉族",
        "出生日期": dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        "学历": "大学本科",
        "人员类别": "正式党员",
        "所在党支部": branch,
        "入党日期": dt.date(2015, 7, 1),
        "转正日期": dt.date(2016, 7, 1),
        "工作岗位": "村委会委员",
        "联系电话": f"1990001{seq:04d}",
    }
    row.update(overrides)
    return row


def table(people: list[dict[str, object]], headers: list[str] | None = None) -> list[list[object]]:
    headers = headers or HEADERS
    return [headers, *[[p.get(h) for h in headers] for p in people]]


def xlsx(rows: list[list[object]], *, title: str | None = None, blank_rows: int = 0, sheet: str = "花名册") -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    if title:
        ws.append([title])
    for _ in range(blank_rows):
        ws.append([])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[object]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for v in row])
    return out.getvalue().encode(encoding)


def upload(client, content: bytes, name: str = "花名册.xlsx", **fields):
    """POST a file to the import page like the browser does: the form fields first, the file last."""
    data = {"kind": "members", **{k: v for k, v in fields.items() if v is not None}, "file": SimpleUploadedFile(name, content)}
    return client.post("/roster/import/", data)
