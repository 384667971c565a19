"""公民身份号码 (GB 11643-1999): normalization, check digit, and the facts the number carries."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from apps.core import clock

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: dt.date
    gender: str  # "男" / "女"


def normalize_id(raw: object) -> str:
    """Full-width to half-width, drop every kind of space, uppercase the X."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
    return re.sub(r"\s+", "", text).upper()


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def parse_id(raw: object, *, today: dt.date | None = None) -> IdInfo:
    """Validate an 18-character number and return birth date and gender; raise ValidationError in Chinese."""
    number = normalize_id(raw)
    if not number:
        raise ValidationError("请填写公民身份号码。", code="id_required")
    if len(number) != 18:
        raise ValidationError(f"公民身份号码应为18位，当前为{len(number)}位。", code="id_length")
    if not _SHAPE.match(number):
        raise ValidationError("公民身份号码格式错误：前17位应为数字，最后一位为数字或X。", code="id_shape")
    if check_char(number[:17]) != number[17]:
        raise ValidationError("公民身份号码校验位错误。", code="id_check")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("公民身份号码中的出生日期不存在。", code="id_birth") from None
    today = today or clock.today()
    if birth > today or birth.year < 1900:
        raise ValidationError("公民身份号码中的出生日期不合理。", code="id_birth")
    gender = "男" if int(number[16]) % 2 == 1 else "女"
    return IdInfo(number=number, birth_date=birth, gender=gender)


def make_id(region: str, birth: dt.date, seq: int) -> str:
    """Build a valid number (used by the demo generator and tests; never real people)."""
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)


def mask_id(number: str) -> str:
    if not number:
        return ""
    if len(number) <= 10:
        return number[:2] + "*" * max(len(number) - 2, 0)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    if len(phone) < 7:
        return phone[:1] + "*" * (len(phone) - 1)
    # Never show the whole number: a 7- or 8-digit local number shows only its last four digits.
    head = max(0, min(3, len(phone) - 8))
    return phone[:head] + "*" * (len(phone) - head - 4) + phone[-4:]
