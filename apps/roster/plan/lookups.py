"""Database look-ups and row comparisons shared by the member and appraisal evaluations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from apps.orgs.models import Member

from .rows import Row


def by_id_number(numbers: Iterable[str], fields: tuple[str, ...]) -> dict[str, list[dict]]:
    """Members (any status, anywhere) holding these ID numbers."""
    found: dict[str, list[dict]] = {}
    for values in chunked(Member.objects.all(), "id_number", {n for n in numbers if len(n) == 18}, fields):
        found.setdefault(values["id_number"], []).append(values)
    return found


def find_duplicates(rows: list[Row], key) -> dict[Any, list[int]]:
    seen: dict[Any, list[int]] = {}
    for row in rows:
        k = key(row)
        if k:
            seen.setdefault(k, []).append(row.row)
    return {k: v for k, v in seen.items() if len(v) > 1}


def duplicate_error(what: str, here: int, rows: list[int]) -> str:
    return f"{what}与第{'、'.join(str(r) for r in rows if r != here)}行重复。"


def chunked(queryset, name: str, values: set, fields: tuple[str, ...]) -> Iterable[dict]:
    """queryset.filter(name__in=values) in chunks, so no database meets a query with 30,000 parameters."""
    ordered = sorted(values)
    chunk = min(connection.features.max_query_params or 5000, 5000) - 10  # SQLite: 999; PostgreSQL: no limit
    for start in range(0, len(ordered), chunk):
        yield from queryset.filter(**{f"{name}__in": ordered[start : start + chunk]}).values(*fields)
