"""A query that every request runs with only one value changing, compiled to SQL once per database.

Turning a queryset into SQL is most of what a small query costs here: reading the signed-in user with their
organization takes ~0.45 ms through the ORM, of which running the SELECT is ~0.07 ms. `CompiledQuery` keeps the
compiler of the first run (its SQL, the columns' converters and how rows become instances) and runs the same SQL
again with the new value, building the instances exactly as `QuerySet.__iter__` does.

Only for a queryset whose SQL has exactly one parameter (the value) and no other variable part: the first compile
checks that, and refuses a builder that would put anything else in the parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

# Stands for the value while compiling; an id no row has, so a mistaken run returns nothing.
_PROBE = -727_001


@dataclass(frozen=True)
class _Plan:
    sql: str
    compiler: SQLCompiler
    converters: dict
    model: type
    start: int
    end: int
    attnames: list[str]
    populators: list
    annotations: tuple[tuple[str, int], ...]


class CompiledQuery:
    """`CompiledQuery(lambda value: Model.objects.select_related(...).filter(pk=value)).first(value)`.

    `probe` stands for the value while compiling: a value of the column's type that no row has."""

    def __init__(self, build: Callable[[Any], QuerySet], probe: Any = _PROBE):
        self._build = build
        self._probe = probe
        self._plans: dict[str, _Plan] = {}

    def first(self, value, using: str = "default"):
        """The first instance the query finds for `value`, or None."""
        plan = self._plans.get(using) or self._compile(using)
        with connections[using].cursor() as cursor:
            cursor.execute(plan.sql, [value])
            row = cursor.fetchone()
        if row is None:
            return None
        if plan.converters:
            row = next(iter(plan.compiler.apply_converters([row], plan.converters)))
        obj = plan.model.from_db(using, plan.attnames, row[plan.start : plan.end])
        for populator in plan.populators:
            populator.populate(row, obj)
        for name, position in plan.annotations:
            setattr(obj, name, row[position])
        return obj

    def _compile(self, using: str) -> _Plan:
        queryset = self._build(self._probe).using(using)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        if tuple(params) != (self._probe,):
            raise ValueError(f"CompiledQuery needs SQL with the value as its only parameter, got {params!r}")
        klass_info, select = compiler.klass_info, compiler.select
        fields = [s[0] for s in select[: compiler.col_count]]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        plan = _Plan(
            sql=sql,
            compiler=compiler,
            converters=compiler.get_converters(fields),
            model=klass_info["model"],
            start=start,
            end=end,
            attnames=[f[0].target.attname for f in select[start:end]],
            populators=get_related_populators(klass_info, select, using),
            annotations=tuple(compiler.annotation_col_map.items()),
        )
        self._plans[using] = plan
        return plan


class CompiledWindow:
    """A `values_list` query filtered by a list of ids and read a window at a time (`LIMIT`/`OFFSET`), the ids and
    the window changing from call to call: compiled to SQL once per database, number of ids and `key`, then run
    with the new values. Building and compiling the queryset cost more than running it (~0.26 ms against ~0.16 ms
    for a 50-row page of the member list).

    `build(ids, *args)` returns the ordered, unsliced queryset; the ids must appear in its SQL's parameters once,
    side by side. `key` stands for everything else the SQL depends on (a search's filters, say): two calls with the
    same key must build the same query but for the ids. At most PLANS plans are kept; then they are compiled anew.

    `every(ids)` reads all the rows of the ids, without a window: for ids that are a page already. PostgreSQL plans a
    prepared statement once for any values, and with `LIMIT %s` it cannot know the limit: it guessed a tenth of the
    rows and walked all 841 organizations in path order for the 50 members of a search page (5–15 ms instead of
    0.5 ms, the server's log on the county data set)."""

    PLANS = 256

    def __init__(self, build: Callable[..., QuerySet]):
        self._build = build
        self._plans: dict[tuple, _Window] = {}

    def rows(self, ids: list, offset: int, limit: int, *args, key: Hashable = (), using: str = "default") -> list[tuple]:
        """The tuples `list(build(ids, *args)[offset:offset + limit])` gives."""
        if not ids:
            return []
        plan = self._plans.get((using, len(ids), key)) or self._compile(using, len(ids), key, args)
        return self._run(plan, f"{plan.sql} LIMIT %s OFFSET %s", [*plan.before, *ids, *plan.after, limit, offset], using)

    def every(self, ids: list, *args, key: Hashable = (), using: str = "default") -> list[tuple]:
        """The tuples `list(build(ids, *args))` gives."""
        if not ids:
            return []
        plan = self._plans.get((using, len(ids), key)) or self._compile(using, len(ids), key, args)
        return self._run(plan, plan.sql, [*plan.before, *ids, *plan.after], using)

    @staticmethod
    def _run(plan: _Window, sql: str, params: list, using: str) -> list[tuple]:
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if plan.converters:
            return [tuple(row) for row in plan.compiler.apply_converters(rows, plan.converters)]
        return [tuple(row) for row in rows]

    def _compile(self, using: str, count: int, key: Hashable, args: tuple) -> _Window:
        probes = [_PROBE - i for i in range(count)]
        queryset = self._build(probes, *args).using(using)
        query = queryset.query
        if queryset._iterable_class is not ValuesListIterable or query.extra_select or query.annotation_select:
            raise ValueError("CompiledWindow builds a plain values_list() queryset")
        if query.is_sliced or not query.order_by:
            raise ValueError("CompiledWindow needs an ordered queryset without a slice")
        compiler = query.get_compiler(using)
        sql, params = compiler.as_sql()
        params = list(params)
        at = params.index(probes[0]) if probes[0] in params else -1
        if at < 0 or params[at : at + count] != probes or any(p in params[:at] + params[at + count :] for p in probes):
            raise ValueError(f"CompiledWindow needs the ids side by side in the SQL's parameters, got {params!r}")
        plan = _Window(
            sql=sql,
            before=tuple(params[:at]),
            after=tuple(params[at + count :]),
            compiler=compiler,
            converters=compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]]),
        )
        if len(self._plans) >= self.PLANS:
            self._plans.clear()
        self._plans[(using, count, key)] = plan
        return plan


@dataclass(frozen=True)
class _Window:
    sql: str
    before: tuple
    after: tuple
    compiler: SQLCompiler
    converters: dict
