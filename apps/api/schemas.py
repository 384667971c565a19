"""Pieces every router uses: the error body, the error responses to declare, and field types that refuse
what the database can't store (control characters, ids beyond a 64-bit integer) with a 400."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field, StringConstraints

from apps.core.numbers import plain


class Error(Schema):
    """Every refusal: one Chinese sentence, and the reasons (the rules that refused, field errors)."""

    detail: str = Field(description="一句中文说明")
    blockers: list[str] = Field(description="逐条原因（规则、字段错误）")


def errors(*codes: int) -> dict[int, type[Error]]:
    """The error responses of an operation that needs a token: 401 always, plus `codes`."""
    return dict.fromkeys(sorted({401, *codes}), Error)


# Errors of an operation that reads: wrong query types (400), no token (401), out of scope (404).
READ_ERRORS = errors(400, 403, 404)
# Errors of an operation that writes: all of API.md's.
WRITE_ERRORS = errors(400, 403, 404, 409, 422)
# Errors of an operation anyone may call without a token (a ballot, a public page): no 401 or 403.
PUBLIC_ERRORS = dict.fromkeys((400, 404, 409, 422, 429), Error)

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control_characters(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("不能包含控制字符")
    return value


def text(max_length: int, *, min_length: int = 0) -> type[str]:
    """A single-line text field: surrounding spaces dropped, no control characters."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_no_control_characters),
    ]


def decimal_text(value: Decimal | None) -> str | None:
    """10.00 → "10", 12.50 → "12.5" (API.md: decimals as strings)."""
    return None if value is None else plain(value)
