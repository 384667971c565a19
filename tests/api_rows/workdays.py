"""API rows: the working-day calendar."""

from ..matrix import Op, api_expect

OPS = [
    Op("get", "/api/v1/notice-period", api_expect(400)),  # no start: a schema error for every token holder
]
