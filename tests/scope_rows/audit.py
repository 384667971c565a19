"""Page rows: the audit hash-chain check (administrators and town offices); audit pages take no writes."""

from ..matrix import NOT_TOWN_MANAGER, Case, expect

CASES = [
    Case("audit:audit_chain", "chain check", expect(200, **NOT_TOWN_MANAGER)),
    Case("audit:audit_chain", "no writes", expect(405), method="post"),
    Case("audit:audit_list", "no writes", expect(405), method="post"),
]
