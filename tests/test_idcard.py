"""公民身份号码 (GB 11643-1999): the check digit, normalization of what people type, and the facts it carries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.core import clock
from apps.core.idcard import check_char, make_id, mask_id, mask_phone, normalize_id, parse_id

TODAY = dt.date(2026, 7, 1)

# Worked by hand: Σ(digit × weight) mod 11 indexes "10X98765432".
#   11010519491231002 → 167, 167 mod 11 = 2 → X   (the standard's own example)
#   36990119800517001 → 365, 365 mod 11 = 2 → X
#   36990120000229123 → 323, 323 mod 11 = 4 → 8
#   36990119900101002 → 297, 297 mod 11 = 0 → 1
HAND_COMPUTED = [
    ("11010519491231002X", dt.date(1949, 12, 31), "女"),
    ("36990119800517001X", dt.date(1980, 5, 17), "男"),
    ("369901200002291238", dt.date(2000, 2, 29), "男"),
    ("369901199001010021", dt.date(1990, 1, 1), "女"),
]


@pytest.mark.parametrize(("number", "birth", "gender"), HAND_COMPUTED)
def test_hand_computed_numbers_are_valid(number, birth, gender):
    info = parse_id(number, today=TODAY)
    assert (info.number, info.birth_date, info.gender) == (number, birth, gender)


@pytest.mark.parametrize(
    ("birth", "seq"),
    [
        (dt.date(1940, 1, 1), 1),
        (dt.date(1965, 10, 1), 2),
        (dt.date(1980, 5, 17), 1),
        (dt.date(2002, 12, 31), 999),
        (dt.date(2000, 2, 29), 500),
    ],
)
def test_numbers_built_by_make_id_parse_back(birth, seq):
    number = make_id("369901", birth, seq)
    assert len(number) == 18
    assert number[17] == check_char(number[:17])
    info = parse_id(number, today=TODAY)
    assert info.birth_date == birth
    assert info.gender == ("男" if seq % 2 else "女")


@pytest.mark.parametrize("seq", range(1, 23))
def test_every_other_check_character_is_refused(seq):
    number = make_id("369901", dt.date(1975, 3, 8), seq)
    for wrong in "0123456789X":
        if wrong == number[17]:
            continue
        with pytest.raises(ValidationError) as exc:
            parse_id(number[:17] + wrong, today=TODAY)
        assert "校验位错误" in exc.value.messages[0]


@pytest.mark.parametrize(
    "typed",
    [
        "36990119800517001X",
        "36990119800517001x",  # lowercase x
        "３６９９０１１９８００５１７００１ｘ",  # full-width digits and ｘ (Chinese input method)
        "３６９９０１１９８００５１７００１Ｘ",
        " 369901 19800517 001X ",  # spaces as people group the digits
        "369901\u300019800517\t001x\n",  # ideographic space, tab, newline
    ],
)
def test_typed_forms_are_normalized(typed):
    assert normalize_id(typed) == "36990119800517001X"
    assert parse_id(typed, today=TODAY).number == "36990119800517001X"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "请填写公民身份号码"),
        (None, "请填写公民身份号码"),
        ("   ", "请填写公民身份号码"),
        ("36990119800517001", "应为18位，当前为17位"),
        ("36990119800517001X1", "应为18位，当前为19位"),
        ("369901198005170", "应为18位，当前为15位"),  # old 15-digit numbers are not accepted
        ("06990119800517001X", "格式错误"),  # first digit 0
        ("3699011980051700XX", "格式错误"),  # X only in the last place
        ("36990119800517001Y", "格式错误"),
        ("3699011980O517001X", "格式错误"),  # letter O for zero
        ("369901198005170011", "校验位错误"),
    ],
)
def test_bad_numbers_are_refused_in_chinese(typed, message):
    with pytest.raises(ValidationError) as exc:
        parse_id(typed, today=TODAY)
    assert message in " ".join(exc.value.messages)


@pytest.mark.parametrize(
    ("first17", "message"),
    [
        ("36990119810229001", "出生日期不存在"),  # 1981 is not a leap year
        ("36990119801301001", "出生日期不存在"),  # month 13
        ("36990119800532001", "出生日期不存在"),  # day 32
        ("36990119800000001", "出生日期不存在"),
        ("44052418800101001", "出生日期不合理"),  # 1880: valid check digit, but nobody on a roster
        ("36990120260702001", "出生日期不合理"),  # tomorrow, seen from TODAY
        ("36990120991231001", "出生日期不合理"),
    ],
)
def test_impossible_or_future_birth_dates_are_refused(first17, message):
    number = first17 + check_char(first17)
    with pytest.raises(ValidationError) as exc:
        parse_id(number, today=TODAY)
    assert message in exc.value.messages[0]


def test_born_today_is_accepted_and_future_uses_the_real_today_by_default():
    assert parse_id(make_id("369901", TODAY, 1), today=TODAY).birth_date == TODAY
    tomorrow = clock.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        parse_id(make_id("369901", tomorrow, 1))


@pytest.mark.parametrize(("seq", "gender"), [(1, "男"), (2, "女"), (3, "男"), (10, "女"), (999, "男"), (0, "女")])
def test_gender_is_the_parity_of_the_17th_digit(seq, gender):
    assert parse_id(make_id("369901", dt.date(1970, 1, 1), seq), today=TODAY).gender == gender


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("36990119800517001X", "369901********001X"),
        ("369901199001011234", "369901********1234"),
        ("", ""),
        ("12345", "12***"),
    ],
)
def test_id_masking_keeps_region_and_last_four(number, masked):
    assert mask_id(number) == masked
    if len(number) == 18:
        assert number[6:14] not in mask_id(number)  # the birth date never shows


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("19900001234", "199****1234"),
        ("079588123456", "079*****3456"),
        ("07958812345", "079****2345"),
        ("8812345", "***2345"),  # a 7-digit local number: no longer shown in full
        ("88123456", "****3456"),
        ("12345", "1****"),
        ("", ""),
    ],
)
def test_phone_masking_never_shows_the_whole_number(phone, masked):
    assert mask_phone(phone) == masked
    if phone:
        assert masked != phone and masked.count("*") >= min(3, len(phone) - 1)
