"""The roster's normalizers: what people type into Excel, made clean, or refused with a Chinese reason."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import to_excel

from apps.core import clock
from apps.core.idcard import make_id
from apps.roster.normalize import (
    CellError,
    clean_category,
    clean_education,
    clean_ethnicity,
    clean_gender,
    clean_grade,
    clean_id,
    clean_name,
    clean_phone,
    clean_text,
    clean_year,
    parse_date,
)
from apps.roster.plan import normalize_record

FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in string.digits + string.ascii_letters}


def full_width(text: str) -> str:
    return "".join(FULL_WIDTH.get(c, c) for c in text)


# --- ID numbers ---------------------------------------------------------------------------------------------------

VALID_ID = make_id("369901", dt.date(1990, 3, 4), 17)
ID_WITH_X = "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (VALID_ID, VALID_ID),
        (f"  {VALID_ID}  ", VALID_ID),
        (f"{VALID_ID[:6]} {VALID_ID[6:14]} {VALID_ID[14:]}", VALID_ID),
        (full_width(VALID_ID), VALID_ID),
        (ID_WITH_X.lower(), ID_WITH_X),
        (full_width(ID_WITH_X.lower()), ID_WITH_X),
        (f"'{VALID_ID}", VALID_ID),
        (int(VALID_ID), VALID_ID),
        (f"{VALID_ID}\u3000", VALID_ID),
    ],
)
def test_id_numbers_are_normalized(raw, expected):
    assert clean_id(raw) == expected


@pytest.mark.parametrize("raw", [float(VALID_ID), 3.62226e17, "3.62226E+17", "3.62226198001011E+17"])
def test_an_id_that_excel_turned_into_a_number_is_refused_with_the_reason(raw):
    with pytest.raises(CellError, match="末几位已丢失"):
        clean_id(raw)


@settings(max_examples=200)
@given(
    birth=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2005, 12, 31)),
    seq=st.integers(min_value=0, max_value=999),
    widths=st.lists(st.booleans(), min_size=18, max_size=18),
    spaces=st.lists(st.sampled_from(["", " ", "\u3000", "\t"]), min_size=19, max_size=19),
    lower=st.booleans(),
)
def test_any_valid_id_survives_full_width_spaces_and_lowercase(birth, seq, widths, spaces, lower):
    number = make_id("369901", birth, seq)
    typed = "".join(spaces[i] + (full_width(c) if widths[i] else c) for i, c in enumerate(number)) + spaces[18]
    if lower:
        typed = typed.lower()
    assert clean_id(typed) == number


# --- dates ----------------------------------------------------------------------------------------------------------

JULY_1 = dt.date(1998, 7, 1)


@pytest.mark.parametrize(
    ("raw", "expected", "month_only"),
    [
        ("1998-07-01", JULY_1, False),
        ("1998/7/1", JULY_1, False),
        ("1998.7.1", JULY_1, False),
        ("1998年7月1日", JULY_1, False),
        ("1998年07月01日", JULY_1, False),
        ("19980701", JULY_1, False),
        ("1998-07-01 00:00:00", JULY_1, False),
        (" 1998 - 07 - 01 ", JULY_1, False),
        ("１９９８－０７－０１", JULY_1, False),
        ("1998.07", JULY_1, True),
        ("1998-07", JULY_1, True),
        ("1998年7月", JULY_1, True),
        ("199807", JULY_1, True),
        (199807, JULY_1, True),
        (19980701, JULY_1, False),
        (1998.07, JULY_1, True),
        (35977, JULY_1, False),  # Excel serial
        (35977.0, JULY_1, False),
        ("35977", JULY_1, False),
        (dt.datetime(1998, 7, 1, 0, 0), JULY_1, False),
        (JULY_1, JULY_1, False),
    ],
)
def test_dates_in_every_way_rosters_write_them(raw, expected, month_only):
    parsed = parse_date(raw)
    assert (parsed.date, parsed.month_only) == (expected, month_only)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_an_empty_date_cell_is_no_date(raw):
    assert parse_date(raw) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1998-02-30", "不存在"),
        ("1998.13", "不存在"),
        ("2098-13-01", "不存在"),
        ("abc", "无法识别的日期"),
        ("98.7.1", "无法识别的日期"),
        (1998, "不完整"),
        ("1850-01-01", "年份不合理"),
        (dt.time(8, 30), "无法识别的日期"),
        (True, "无法识别的日期"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(raw, message):
    with pytest.raises(CellError, match=message):
        parse_date(raw)


DATES = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31))


@given(DATES)
def test_every_written_form_of_a_date_reads_back_as_that_date(day):
    forms = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y%m%d}",
        full_width(day.isoformat()),
        dt.datetime(day.year, day.month, day.day),
    ]
    if day.year > 1905:  # serials of 1905 are 1900…2100: taken as a year written without its month
        forms += [to_excel(day), float(to_excel(day))]
    for form in forms:
        parsed = parse_date(form)
        assert parsed.date == day and not parsed.month_only, form


@given(DATES)
def test_a_month_written_alone_is_the_first_of_that_month(day):
    for form in (f"{day.year}.{day.month:02d}", f"{day:%Y%m}", f"{day.year}年{day.month}月", int(f"{day:%Y%m}")):
        parsed = parse_date(form)
        assert parsed.date == day.replace(day=1) and parsed.month_only, form


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.none(), st.datetimes()))
def test_parse_date_only_ever_answers_or_explains(value):
    try:
        parsed = parse_date(value)
    except CellError as exc:
        assert str(exc)
    else:
        assert parsed is None or isinstance(parsed.date, dt.date)


# --- text, names, phones, choices --------------------------------------------------------------------------------


@given(st.text(max_size=60))
def test_clean_text_is_idempotent_and_tidy(text):
    once = clean_text(text)
    assert clean_text(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert not any(c in once for c in "\t\n\r\x00\u200b\ufeff")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张 三", "张三"),
        (" 张\u3000三 ", "张三"),
        ("阿依古丽.买买提", "阿依古丽·买买提"),
        ("阿依古丽・买买提", "阿依古丽·买买提"),
        ("𠀾小明", "𠀾小明"),  # a rare character outside the basic plane
        ("䶮", "䶮"),
        ("John  Smith", "John Smith"),
    ],
)
def test_names(raw, expected):
    assert clean_name(raw) == expected


@pytest.mark.parametrize("raw", ["张三😀", "李四2", "王五#", "👍"])
def test_names_with_emoji_digits_or_symbols_are_refused(raw):
    with pytest.raises(CellError, match="无效字符"):
        clean_name(raw)


@given(st.lists(st.sampled_from("0123456789"), min_size=11, max_size=11), st.sampled_from(["", "-", " ", "－"]))
def test_phone_numbers_keep_their_digits_only(digits, separator):
    number = "".join(digits)
    typed = f"{number[:3]}{separator}{number[3:7]}{separator}{number[7:]}"
    assert clean_phone(typed) == number
    assert clean_phone(full_width(typed)) == number


@pytest.mark.parametrize("raw", ["12345", "1990000abcd", "1" * 13])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(CellError, match="联系电话"):
        clean_phone(raw)


def test_phone_from_a_number_cell():
    assert clean_phone(19900001234) == "19900001234"
    assert clean_phone(19900001234.0) == "19900001234"
    assert clean_phone("+86 199-0000-1234") == "19900001234"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("大学", "大学本科"),
        ("大学本科", "大学本科"),
        ("本科", "大学本科"),
        ("大专", "大学专科"),
        ("大学专科", "大学专科"),
        ("硕士研究生", "研究生"),
        ("博士", "研究生"),
        ("中专", "中专"),
        ("中等专科", "中专"),
        ("技校", "中专"),
        ("高中", "高中"),
        ("职高", "高中"),
        ("初中", "初中"),
        ("小学", "小学及以下"),
        ("小学及以下", "小学及以下"),
        ("", ""),
    ],
)
def test_education_levels(raw, expected):
    assert clean_education(raw) == expected


def test_unknown_values_of_choice_columns_are_refused():
    for fn, raw, what in [
        (clean_gender, "未知", "性别"),
        (clean_category, "积极分子", "人员类别"),
        (clean_grade, "良好", "评议等次"),
        (clean_education, "幼儿园", "学历"),
    ]:
        with pytest.raises(CellError, match=what):
            fn(raw)


def test_choice_columns_accept_their_usual_spellings():
    assert clean_gender(" 男 ") == "男"
    assert clean_gender("女性") == "女"
    assert clean_category("预备") == "probationary"
    assert clean_category("正式党员") == "formal"
    assert clean_grade("基本合格") == "basic"
    assert clean_ethnicity("汉") == "汉族"
    assert clean_ethnicity("畲族") == "畲族"
    assert clean_year("2024年度") == 2024
    assert clean_year(2024.0) == 2024


def test_a_year_in_the_future_is_refused():
    with pytest.raises(CellError, match="评议年度"):
        clean_year(clock.today().year + 1)


CELL = st.one_of(
    st.none(),
    st.text(max_size=25),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=dt.datetime(1800, 1, 1)),
    st.booleans(),
)
FIELDS = ["name", "gender", "id_number", "ethnicity", "birth_date", "education", "category", "branch", "joined_on", "confirmed_on"]
FIELDS += ["post", "phone", "status", "year", "grade", "note"]


@settings(max_examples=300)
@given(st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, CELL)))
def test_a_row_of_anything_gives_values_or_reasons_never_an_exception(raw):
    data, errors = normalize_record(raw)
    assert all(isinstance(e, str) and e for e in errors)
    assert set(data) <= set(FIELDS) | {"birth_month_only"}
