"""The roster's columns: the field each holds and the header names it goes by in the wild.

The first alias is the one the export writes, so an exported file always imports again. Headers are
matched by name, never by position: the national party-member information system, the county's
template and every branch's home-made sheet order their columns differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import clean_text


@dataclass(frozen=True)
class Column:
    field: str
    aliases: tuple[str, ...]

    @property
    def header(self) -> str:
        return self.aliases[0]


NAME = Column("name", ("姓名",))
ID_NUMBER = Column("id_number", ("公民身份号码", "身份证号", "身份证号码", "公民身份证号码", "身份证", "证件号码"))
BRANCH = Column("branch", ("所在党支部", "所在党组织", "党组织名称", "所在支部", "党支部", "所在党组织名称"))
# The organizations above the branch, top down ("中共云岭县委员会/中共青山镇委员会"): branch names repeat
# across towns, so the export writes this column and the import uses it whenever a name is not unique.
PARENT = Column("parent", ("上级党组织", "所属上级党组织", "上级组织", "所属党委"))

MEMBER_COLUMNS: tuple[Column, ...] = (
    NAME,
    Column("gender", ("性别",)),
    ID_NUMBER,
    Column("ethnicity", ("民族",)),
    Column("birth_date", ("出生日期", "出生年月", "出生年月日")),
    Column("education", ("学历", "文化程度", "最高学历")),
    Column("category", ("人员类别", "党员类别")),
    BRANCH,
    PARENT,
    Column("joined_on", ("入党日期", "入党时间")),
    Column("confirmed_on", ("转正日期", "转为正式党员日期", "转正时间")),
    Column("post", ("工作岗位", "现工作单位及职务", "工作岗位/职务", "工作单位及职务", "职务")),
    Column("phone", ("联系电话", "手机号码", "手机号", "联系方式")),
    Column("status", ("状态", "党员状态", "党籍状态")),
)

APPRAISAL_COLUMNS: tuple[Column, ...] = (
    NAME,
    ID_NUMBER,
    BRANCH,
    PARENT,
    Column("year", ("评议年度", "年度")),
    Column("grade", ("评议等次", "评议结果", "民主评议结果", "等次")),
    Column("note", ("备注",)),
)

_DECOR = re.compile(r"[\s*＊:：]")
_BRACKETS = re.compile(r"[(（\[【].*?[)）\]】]")


def header_key(value: object) -> str:
    """A header cell as compared with the aliases: no spaces, no required-field stars, no colon."""
    return _DECOR.sub("", clean_text(value))


def alias_table(columns: tuple[Column, ...]) -> dict[str, str]:
    return {header_key(alias): column.field for column in columns for alias in column.aliases}


def match_header(value: object, aliases: dict[str, str]) -> str | None:
    """The field a header cell names, trying it as written and without a note in brackets ("出生日期(年月日)")."""
    key = header_key(value)
    if not key:
        return None
    field = aliases.get(key)
    if field is None and _BRACKETS.search(key):
        field = aliases.get(_BRACKETS.sub("", key))
    return field
