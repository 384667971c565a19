"""Table rows as plain values, for list pages that show many rows (issue 13)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import dateformat, timezone

from apps.core.templatetags.cached_url import cached_url

# Stands for the row's id while the URL is reversed: a number, so it passes an <int:…> converter.
ID_MARKER = "2147483647"


class Row(dict):
    """A table row of plain values: a template finds its keys at dict speed (a model instance's attribute,
    method or `get_…_display` costs several times more, hundreds of times a page); Python code and tests
    read them as attributes."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def row_url(viewname: str, *args: object) -> Callable[[object], str]:
    """A link per row for the price of one reverse(), remembered per process (cached_url): `url =
    row_url("orgs:member_detail")`, then `url(m.pk)` for each row (`*args`: the arguments before the row's id, e.g.
    the campaign)."""
    head, _, tail = cached_url(viewname, *args, ID_MARKER).rpartition(ID_MARKER)
    return lambda pk: f"{head}{pk}{tail}"


def when(value: dt.date | dt.datetime | None, fmt: str) -> str:
    """What a template's `|date:fmt` shows, written once into a kept row ("" for None); an aware time in the
    local zone, as the template would show it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, fmt)
