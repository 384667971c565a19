"""Turning what people type into rosters into clean values.

Every function takes one cell's raw value (str, int, float, datetime or None, as openpyxl or the csv
module hand it over) and returns the clean value, or raises `CellError` with a Chinese sentence that
the preview shows after the row number. They never touch the database.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from openpyxl.utils.datetime import from_excel

from apps.core.idcard import normalize_id
from apps.orgs.choices import Category, Education, Gender, Grade, MemberStatus
from apps.orgs.rules import appraisal_year_errors


class CellError(ValueError):
    """A cell's value can't be understood; `str(exc)` is the Chinese reason."""


# Export neutralizes formula-like text by prefixing a quote; reading strips it again.
FORMULA_CHARS = ("=", "+", "-", "@")
# Full-width digits and letters become ASCII; full-width punctuation (，（）：) is proper Chinese and stays.
_NARROW = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_NARROW |= dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)  # invisible characters go
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
# Anything that makes a cell need more than being returned as it is.
_NEEDS_WORK = re.compile(r"[\s\x00-\x1f\x7f\u00ad\u200b-\u200d\u2060\ufeff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]|^'")
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_DOTS = str.maketrans(dict.fromkeys("・•‧∙⋅．.。", "·"))


def clean_text(value: object) -> str:
    """Half-width digits and letters, no invisible or control characters, no surrounding spaces, inner runs of spaces made one."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    if not _NEEDS_WORK.search(text):
        return text  # the common case, checked in C
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text.translate(_NARROW))).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_CHARS:
        text = text[1:]
    return text


def clean_name(value: object) -> str:
    """A person's name: spaces between Chinese characters dropped, every middle dot made "·".

    Rare characters (生僻字, CJK extensions) are letters and pass; emoji, digits and symbols do not.
    """
    text = clean_text(value)
    if not text:
        return ""
    if not text.isascii():
        text = _CJK_SPACE.sub("", text).translate(_DOTS)
    for char in text:
        if char in "· " or unicodedata.category(char)[0] in "LM" or unicodedata.category(char) == "Co":
            continue
        raise CellError(f"姓名“{text}”含有无效字符“{char}”。")
    if len(text) > 40:
        raise CellError("姓名超过40个字。")
    return text


_SCI = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)


def clean_id(value: object) -> str:
    """The ID number as text. A number cell has lost its last digits when Excel stored it as a float."""
    if isinstance(value, bool):
        raise CellError("公民身份号码格式错误。")
    if isinstance(value, float):
        if not value.is_integer() or value >= 1e15:
            raise CellError(
                f"公民身份号码被存成了数字（显示为 {value:.6g}），末几位已丢失。请将该列设为“文本”格式，重新录入身份证号后再导入。"
            )
        value = int(value)
    text = normalize_id(value)
    if text.startswith("'"):
        text = text[1:]
    if _SCI.match(text):
        raise CellError(f"公民身份号码被存成了科学计数法（{text}），末几位已丢失。请将该列设为“文本”格式，重新录入身份证号后再导入。")
    return text


_DAY = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_MONTH = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_DIGITS8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DIGITS6 = re.compile(r"^(\d{4})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}(\.0+)?$")
MIN_YEAR, MAX_YEAR = 1900, 2100


class ParsedDate:
    """A date and whether the source gave the day (1998.07 gives only the month)."""

    __slots__ = ("date", "month_only")

    def __init__(self, date: dt.date, month_only: bool = False):
        self.date = date
        self.month_only = month_only


def _make_date(year: int, month: int, day: int | None, raw: object) -> ParsedDate:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CellError(f"日期“{raw}”的年份不合理。")
    try:
        return ParsedDate(dt.date(year, month, day or 1), month_only=day is None)
    except ValueError:
        raise CellError(f"日期“{raw}”不存在。") from None


def _from_serial(number: float, raw: object) -> ParsedDate:
    if not 1 <= number < 2958466:
        raise CellError(f"无法识别的日期“{raw}”。")
    value = from_excel(number)
    value = value.date() if isinstance(value, dt.datetime) else value
    if not isinstance(value, dt.date) or not MIN_YEAR <= value.year <= MAX_YEAR:
        raise CellError(f"无法识别的日期“{raw}”。")
    return ParsedDate(value)


def parse_date(value: object) -> ParsedDate | None:
    """1998-07-01, 1998/7/1, 1998.07, 1998年7月1日, 199807, 19980701, Excel cells and date serials."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return _make_date(value.year, value.month, value.day, value.date())
    if isinstance(value, dt.date):
        return _make_date(value.year, value.month, value.day, value)
    if isinstance(value, bool | dt.time | dt.timedelta) or (isinstance(value, float) and not math.isfinite(value)):
        raise CellError(f"无法识别的日期“{value}”。")
    if isinstance(value, float) and not value.is_integer():
        whole = int(value)
        if MIN_YEAR <= whole <= MAX_YEAR:  # 1998.07 typed into a number cell
            return _make_date(whole, round((value - whole) * 100), None, f"{value:.2f}")
        return _from_serial(value, value)
    if isinstance(value, int | float):
        value = int(value)
        if MIN_YEAR <= value <= MAX_YEAR:
            raise CellError(f"日期“{value}”不完整，请写出月份，如 {value}-07-01。")
        if len(str(value)) in (6, 8):
            return parse_date(str(value))
        return _from_serial(value, value)
    text = unicodedata.normalize("NFKC", clean_text(value))  # also －／． written with a Chinese input method
    if ":" in text:
        text = _TIME.sub("", text)
    text = text.replace(" ", "")
    if not text:
        return None
    for pattern, has_day in ((_DAY, True), (_DIGITS8, True), (_MONTH, False), (_DIGITS6, False)):
        match = pattern.match(text)
        if match:
            groups = [int(g) for g in match.groups()]
            return _make_date(groups[0], groups[1], groups[2] if has_day else None, text)
    if _SERIAL.match(text):
        return _from_serial(float(text), text)
    raise CellError(f"无法识别的日期“{text}”，请写成 1998-07-01 的形式。")


def _lookup(table: dict[str, str], what: str, value: object, hint: str) -> str:
    if isinstance(value, str) and value in table:
        return table[value]
    text = clean_text(value).replace(" ", "")
    if not text:
        return ""
    try:
        return table[text]
    except KeyError:
        raise CellError(f"无法识别的{what}“{text}”，应为{hint}。") from None


GENDERS = {"男": Gender.MALE, "男性": Gender.MALE, "女": Gender.FEMALE, "女性": Gender.FEMALE}
CATEGORIES = {
    "正式党员": Category.FORMAL,
    "正式": Category.FORMAL,
    "党员": Category.FORMAL,
    "预备党员": Category.PROBATIONARY,
    "预备": Category.PROBATIONARY,
}
GRADES = {
    "优秀": Grade.EXCELLENT,
    "合格": Grade.QUALIFIED,
    "基本合格": Grade.BASIC,
    "不合格": Grade.UNQUALIFIED,
}
STATUSES = {
    "在册": MemberStatus.ACTIVE,
    "正常": MemberStatus.ACTIVE,
    "转出": MemberStatus.TRANSFERRED,
    "已转出": MemberStatus.TRANSFERRED,
    "停止党籍": MemberStatus.SUSPENDED,
    "去世": MemberStatus.DECEASED,
    "死亡": MemberStatus.DECEASED,
    "已去世": MemberStatus.DECEASED,
}


def clean_gender(value: object) -> str:
    return _lookup(GENDERS, "性别", value, "男或女")


def clean_category(value: object) -> str:
    return _lookup(CATEGORIES, "人员类别", value, "正式党员或预备党员")


def clean_grade(value: object) -> str:
    return _lookup(GRADES, "评议等次", value, "优秀、合格、基本合格或不合格")


def clean_status(value: object) -> str:
    return _lookup(STATUSES, "党员状态", value, "在册、转出、停止党籍或去世")


# Ordered: the first keyword found decides (博士研究生 before 大学, 中等专科 before 专科, 大学专科 before 大学).
_EDUCATION_KEYWORDS = (
    (("研究生", "博士", "硕士"), Education.POSTGRADUATE),
    (("中专", "中等专", "中技", "技校", "中师"), Education.TECHNICAL),
    (("专科", "大专", "高职"), Education.COLLEGE),
    (("本科", "大学"), Education.UNIVERSITY),
    (("高中", "职高", "中职"), Education.HIGH),
    (("初中",), Education.MIDDLE),
    (("小学", "文盲", "识字"), Education.PRIMARY),
)


EDUCATIONS = frozenset(Education.values)


def clean_education(value: object) -> str:
    if value in EDUCATIONS:
        return value  # written exactly as the system writes it (our own exports)
    text = clean_text(value).replace(" ", "")
    if not text:
        return ""
    for keywords, choice in _EDUCATION_KEYWORDS:
        if any(k in text for k in keywords):
            return choice
    raise CellError(f"无法识别的学历“{text}”，应为{'、'.join(Education.labels)}之一。")


ETHNIC_GROUPS = frozenset(
    [
        "汉",
        "蒙古",
        "回",
        "藏",
        "维吾尔",
        "苗",
        "彝",
        "壮",
        "布依",
        "朝鲜",
        "满",
        "侗",
        "瑶",
        "白",
        "土家",
        "哈尼",
        "哈萨克",
        "傣",
        "黎",
        "傈僳",
        "佤",
        "畲",
        "高山",
        "拉祜",
        "水",
        "东乡",
        "纳西",
        "景颇",
        "柯尔克孜",
        "土",
        "达斡尔",
        "仫佬",
        "羌",
        "布朗",
        "撒拉",
        "毛南",
        "仡佬",
        "锡伯",
        "阿昌",
        "普米",
        "塔吉克",
        "怒",
        "乌孜别克",
        "俄罗斯",
        "鄂温克",
        "德昂",
        "保安",
        "裕固",
        "京",
        "塔塔尔",
        "独龙",
        "鄂伦春",
        "赫哲",
        "门巴",
        "珞巴",
        "基诺",
    ]
)


def clean_ethnicity(value: object) -> str:
    """民族: "汉" and "汉族" are the same; a name outside the 56 is kept as written."""
    text = clean_text(value).replace(" ", "")
    if text in ETHNIC_GROUPS:
        text += "族"
    if len(text) > 20:
        raise CellError("民族超过20个字。")
    return text


_PHONE_SEPARATORS = str.maketrans("", "", " -()")


def clean_phone(value: object) -> str:
    """Digits only (separators and a +86 prefix dropped), 7 to 12 of them, as the member form asks."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", clean_text(value)).translate(_PHONE_SEPARATORS)
    if not text:
        return ""
    if text.startswith("+86"):
        text = text[3:]
    if not text.isdigit() or not 7 <= len(text) <= 12:
        raise CellError(f"联系电话“{clean_text(value)}”格式不正确，应为7至12位数字。")
    return text


def clean_post(value: object) -> str:
    text = clean_text(value)
    if len(text) > 100:
        raise CellError("工作岗位/职务超过100个字。")
    return text


def clean_note(value: object) -> str:
    text = clean_text(value)
    if len(text) > 200:
        raise CellError("备注超过200个字。")
    return text


def clean_org_name(value: object) -> str:
    """An organization name as a key for matching: （）and () alike, no spaces at all."""
    return unicodedata.normalize("NFKC", clean_text(value)).replace(" ", "")


def clean_year(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.year
    text = clean_text(value).replace(" ", "").removesuffix("年度").removesuffix("年")
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise CellError(f"无法识别的年度“{clean_text(value)}”，应为四位数字，如 2025。")
    year = int(text)
    if reasons := appraisal_year_errors(year):
        raise CellError(reasons[0])
    return year
