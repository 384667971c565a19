"""Writing tens of thousands of rows in one statement each, without a model instance per row.

Django's bulk_create compiles every value of every object through the field machinery, which costs
more than reading the whole roster file. An import already holds validated, complete values, so it
sends them with executemany: one prepared statement, the values adapted per field type only where
the database needs it (dates for SQLite, JSON for PostgreSQL). Works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

CHUNK = 2000
_ADAPTED = {"DateField", "DateTimeField", "JSONField"}


def _columns(model: type[models.Model], names: Sequence[str] | None) -> list[models.Field]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return fields if names is None else [model._meta.get_field(n) for n in names]


def _adapter(field: models.Field):
    """The field's own conversion to a database value, remembered per value (dates and timestamps repeat)."""
    if field.get_internal_type() not in _ADAPTED:
        return None
    db = connections[DEFAULT_DB_ALIAS]
    if field.get_internal_type() == "JSONField":
        return lambda value: field.get_db_prep_save(value, db)
    seen: dict[Any, Any] = {}

    def adapt(value):
        if value not in seen:
            seen[value] = field.get_db_prep_save(value, db)
        return seen[value]

    return adapt


def _row_maker(fields: list[models.Field]):
    pairs = [(f.attname, f.get_default()) for f in fields]
    adapted = [(i, adapt) for i, adapt in enumerate(map(_adapter, fields)) if adapt is not None]

    def make(values: dict[str, Any]) -> list:
        row = [values.get(key, default) for key, default in pairs]
        for i, adapt in adapted:
            if row[i] is not None:
                row[i] = adapt(row[i])
        return row

    return make


def insert(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
    """INSERT one row per dict {attname: value}; missing fields take their model default."""
    fields = _columns(model, None)
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    # Names come from the model, every value is a parameter.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    _execute(sql, map(_row_maker(fields), rows))


def update(model: type[models.Model], names: Sequence[str], rows: Iterable[dict[str, Any]]) -> None:
    """UPDATE the named fields of each row (a dict holding "pk" and those fields)."""
    fields = _columns(model, names)
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    pk = model._meta.pk
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"  # noqa: S608
    make = _row_maker(fields)
    _execute(sql, ([*make(values), values["pk"]] for values in rows))


def _execute(sql: str, rows: Iterable[list]) -> None:
    batch: list[list] = []
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while an import builds its rows.

    A 30,000-row import keeps a few hundred thousand small dicts and lists alive until it ends; each
    automatic full collection would walk all of them again, which costs more than the work itself.
    Reference counting still frees everything as usual, and the collector resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
