"""A query that every request runs with only one value changing, compiled to SQL once per database.

Turning a queryset into SQL is most of what a small query costs here: reading the signed-in user with their
organization takes ~0.45 ms through the ORM, of which running the SELECT is ~0.07 ms. `CompiledQuery` keeps the
compiler of the first run (its SQL, the columns' converters and how rows become instances) and runs the same SQL
again with the new value, building the instances exactly as `QuerySet.__iter__` does.

Only for a queryset whose SQL's parameters are exactly the values (one, or several in the builder's order) and that
has no other variable part: the first compile checks that, and refuses a builder that would put anything else in the
parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesListIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

from .lookups import IntArray

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

    `probe` stands for the value while compiling: a value of the column's type that no row has. A query of several
    values: `probes`, one for each of the builder's arguments, in the order the SQL takes them as parameters."""

    def __init__(self, build: Callable[..., QuerySet], probe: Any = _PROBE, *, probes: tuple | None = None):
        self._build = build
        self._probes = (probe,) if probes is None else tuple(probes)
        self._plans: dict[str, _Plan] = {}

    def first(self, *values, using: str = "default"):
        """The first instance the query finds for `values`, or None."""
        if len(values) != len(self._probes):
            raise TypeError(f"CompiledQuery.first takes {len(self._probes)} value(s), got {len(values)}")
        plan = self._plans.get(using) or self._compile(using)
        with connections[using].cursor() as cursor:
            cursor.execute(plan.sql, list(values))
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
        queryset = self._build(*self._probes).using(using)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        if tuple(params) != self._probes:
            raise ValueError(f"CompiledQuery needs SQL with the values as its only parameters, in order, got {params!r}")
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
    side by side, or as one parameter, whole (`field__any_of=ids`, apps/core/lookups.py: the text of an array on
    PostgreSQL). `key` stands for everything else the SQL depends on (a search's filters, say): two calls with the
    same key must build the same query but for the ids. At most PLANS plans are kept; then they are compiled anew.

    `every(ids)` reads all the rows of the ids, without a window: for ids that are a page already. PostgreSQL plans a
    prepared statement once for any values, and with `LIMIT %s` it cannot know the limit: it guessed a tenth of the
    rows and walked all 841 organizations in path order for the 50 members of a search page (5–15 ms instead of
    0.5 ms, the server's log on the county data set)."""

    PLANS = 256

    def __init__(self, build: Callable[..., QuerySet]):
        self._build = build
        self._plans: dict[tuple, _Window] = {}

    def rows(self, ids, offset: int, limit: int, *args, key: Hashable = (), using: str = "default") -> list[tuple]:
        """The tuples `list(build(ids, *args)[offset:offset + limit])` gives."""
        plan, params = self._prepare(ids, args, key, using)
        return [] if plan is None else self._run(plan, f"{plan.sql} LIMIT %s OFFSET %s", [*params, limit, offset], using)

    def every(self, ids, *args, key: Hashable = (), using: str = "default") -> list[tuple]:
        """The tuples `list(build(ids, *args))` gives."""
        plan, params = self._prepare(ids, args, key, using)
        return [] if plan is None else self._run(plan, plan.sql, params, using)

    def _prepare(self, ids, args: tuple, key: Hashable, using: str) -> tuple[_Window | None, list]:
        """The plan for these ids (compiled on first use) and the SQL's parameters; no plan when there are no ids."""
        if not ids:
            return None, []
        plan_key = (using, len(ids), key)  # a plan per database, number of ids and key
        plan = self._plans.get(plan_key) or self._compile(plan_key, args)
        params = []
        for part in plan.layout:
            if part is _IDS:
                params.extend(ids)  # side by side
            elif part is _ARRAY:
                params.append(IntArray.of(ids))  # as one parameter
            else:
                params.extend(part)  # fixed values
        return plan, params

    @staticmethod
    def _run(plan: _Window, sql: str, params: list, using: str) -> list[tuple]:
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if plan.converters:
            return [tuple(row) for row in plan.compiler.apply_converters(rows, plan.converters)]
        return [tuple(row) for row in rows]

    def _compile(self, plan_key: tuple, args: tuple) -> _Window:
        using, count, _ = plan_key
        probe = [_PROBE - i for i in range(count)]
        queryset = self._build(probe, *args).using(using)
        query = queryset.query
        if queryset._iterable_class is not ValuesListIterable or query.extra_select:
            raise ValueError("CompiledWindow builds a values_list() queryset")
        if query.is_sliced or not query.order_by:
            raise ValueError("CompiledWindow needs an ordered queryset without a slice")
        compiler = query.get_compiler(using)
        sql, params = compiler.as_sql()
        params = list(params)
        whole = [at for at, param in enumerate(params) if isinstance(param, IntArray) and param.ids == probe]
        if len(whole) == 1:  # one parameter: the text of an array (`__any_of` on PostgreSQL)
            at, taken, part = whole[0], 1, _ARRAY
        else:
            at, taken, part = params.index(probe[0]) if probe[0] in params else -1, count, _IDS
            if at < 0 or params[at : at + count] != probe or any(p in params[:at] + params[at + count :] for p in probe):
                raise ValueError(f"CompiledWindow needs the ids side by side in the SQL's parameters, got {params!r}")
        layout = (tuple(params[:at]), part, tuple(params[at + taken :]))
        plan = _Window(
            sql=sql,
            layout=tuple(part for part in layout if part != ()),
            compiler=compiler,
            converters=compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]]),
        )
        if len(self._plans) >= self.PLANS:
            self._plans.clear()
        self._plans[plan_key] = plan
        return plan


# In a plan's layout: where the ids go in, side by side, or as one parameter (the text of an array, `IntArray`).
_IDS, _ARRAY = object(), object()


@dataclass(frozen=True)
class _Window:
    sql: str
    #: The SQL's parameters in order: tuples of fixed values around where the ids go in (`_IDS` or `_ARRAY`).
    layout: tuple
    compiler: SQLCompiler
    converters: dict
