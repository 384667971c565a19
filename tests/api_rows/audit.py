"""API rows: the audit log."""

from ..matrix import Op, api_expect

OPS = [
    Op("get", "/api/v1/audit", api_expect(403, admin=200, office=200, other_office=200)),
]
