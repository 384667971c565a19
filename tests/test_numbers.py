"""Numbers and dates in the page body: written without per-value localization (templates/base.html), as the
language would write them, and decimals without an exponent (apps/core/numbers.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from apps.core.numbers import plain


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("10.00"), "10"), (Decimal("12.50"), "12.5"), (Decimal("0.00"), "0"), (Decimal("1E+2"), "100"), (Decimal("3.70"), "3.7")],
)
def test_a_decimal_is_written_as_people_write_it(value, text):
    assert plain(value) == text
    assert Template("{% load numbers %}{{ v|plain }}").render(Context({"v": value})) == text


@pytest.mark.parametrize(
    "value",
    [
        0,
        7,
        123456789,
        -3,
        Decimal("12.50"),
        0.5,
        dt.date(2026, 9, 5),
        dt.datetime(2026, 9, 5, 12, 45, tzinfo=dt.UTC),
        dt.time(8, 30),
        True,
        None,
        "文字",
    ],
)
def test_the_page_body_shows_a_value_as_the_language_would(value):
    """The body renders with localization off for speed; what it shows must not change."""
    with timezone.override("Asia/Shanghai"):
        localized = Template("{{ v }}").render(Context({"v": value}))
        plain_body = Template("{% load l10n %}{% localize off %}{{ v }}{% endlocalize %}").render(Context({"v": value}))
    assert plain_body == localized
    if isinstance(value, dt.datetime):
        assert plain_body == "2026年9月5日 20:45"  # in the local zone, in the language's format


def test_every_page_body_renders_with_localization_off():
    from django.template.loader import get_template

    source = get_template("base.html").template.source
    assert "{% localize off %}{% block content %}{% endblock %}{% endlocalize %}" in source
