"""`field__any_of=ids`: the rows whose field is one of `ids`, the list sent to PostgreSQL as one array parameter.

`field__in=ids` puts a placeholder in the SQL for every id. psycopg keeps the parsed form of a query with at most 50
parameters only, and parses a longer one again on every run: a page of the member list's search, fifty members and the
few branches that hold them, cost ~75 µs more client CPU a run that way, with the same plan on the server. As
`field = ANY(%s)` the query has one parameter for the list, whatever its length, and one text for every length.

A list of integers (ids) goes as the text of a PostgreSQL array, `'{1,2,3}'`, cast to an array of the field's type in
the SQL. Given a list, psycopg looks over every element to choose the array's type (int2[] for small ids, int8[] for
larger ones: a prepared statement for each) and writes each element in Python: fifty member ids and two branch ids
cost ~48 µs more client CPU a run as lists than as two texts, which cost what two plain parameters cost. The text is
made of ints only.

Elsewhere (SQLite) it is `field IN (%s, …)` as `__in` writes it. An empty list matches nothing, as `__in` does."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, Lookup


class IntArray(str):
    """The text of a PostgreSQL array of integers (`'{1,2,3}'`), one parameter, that knows the ids it was made of
    (`CompiledWindow` finds a list of ids in a query's parameters by them)."""

    ids: list[int]

    @classmethod
    def of(cls, ids: Iterable[int]) -> IntArray:
        ids = list(ids)
        text = cls("{" + ",".join(map(str, ids)) + "}")
        text.ids = ids
        return text


@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [self.lhs.output_field.get_prep_value(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [self.lhs.output_field.get_db_prep_value(value, connection, prepared=True) for value in self.rhs]
        if not values:
            raise EmptyResultSet
        if connection.vendor == "postgresql":
            if all(type(value) is int for value in values):
                return f"{lhs} = ANY(%s::{self.lhs.output_field.cast_db_type(connection)}[])", [*lhs_params, IntArray.of(values)]
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]
