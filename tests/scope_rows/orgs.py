"""Page rows: the member list's branch picker (issue 13); the other organization and member pages' rows
are in tests/test_scope.py."""

from ..matrix import Case, expect

CASES = [
    Case("orgs:branch_options", "branch picker", expect(200, inspector=403)),
    Case("orgs:branch_options", "no writes", expect(405, inspector=405), method="post"),
]
