"""API rows: accounts."""

from ..matrix import Op, api_expect

OPS = [
    Op("get", "/api/v1/me", api_expect(200)),
]
