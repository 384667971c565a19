"""Paging the member list in (branch path, name, pk) order without sorting the whole county.

`Paginator(members.order_by("branch__path", "name", "pk"))` makes the database sort every matching
member for every page (32,000 rows for a county reviewer) and count them through a join. Instead:

1. count the matching members per branch — one GROUP BY over the member table's branch index;
2. order those branches by path and walk them to find the few that hold the requested slice;
3. fetch and sort only those branches' members.

The page holds the same members in the same order as the plain queryset would.
"""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import accumulate
from typing import NamedTuple

from django.db.models import Count, QuerySet

from .models import Organization

ORDERING = ("branch__path", "name", "pk")


class Branches(NamedTuple):
    """The branches with matching members, in path order, and the running total of their members: kept as two
    arrays (a county's 800 branches unpickle in microseconds, and a page's branches are found by bisection).

    Pickled (to be kept) as the arrays' bytes compressed: the database cache stores a value as base64 text, and a
    county's two arrays of 800 were 17 KB of it, which the member list read on every page. PostgreSQL stored it
    compressed out of line and unpacked it for every read, and decoding the base64 cost ~0.1 ms a page in Python;
    compressed, the ids and totals take under 4 KB (their neighbouring values differ little)."""

    ids: array
    totals: array
    #: The matching members' ids in order, when `matched_rows` reads a page by them and they are at most
    #: MATCHES_KEPT; else None.
    members: array | None = None

    def __reduce__(self):
        arrays = (self.ids, self.totals) if self.members is None else (self.ids, self.totals, self.members)
        return _unpack_branches, (zlib.compress(b"".join(a.tobytes() for a in arrays), 1), len(self.ids), len(arrays))


def _unpack_branches(packed: bytes, branches: int, parts: int) -> Branches:
    data = zlib.decompress(packed)
    arrays = [array("q") for _ in range(parts)]
    step = branches * arrays[0].itemsize
    arrays[0].frombytes(data[:step])
    arrays[1].frombytes(data[step : 2 * step])
    if parts == 3:
        arrays[2].frombytes(data[2 * step :])
    return Branches(*arrays)


# A filtered list (a name search, say) keeps its matching members' ids when they are this few: a page is then
# fifty primary-key reads instead of a scan of every member of the many branches its few matches span.
MATCHES_KEPT = 5000


def counts_key(user, filters: str) -> str:
    """The key the counts of `BranchOrderedMembers(…, kept=(user, filters))` are kept under (apps.audit.memo)."""
    from apps.audit.memo import kept_key

    return kept_key("member-branches", user, filters)


def _matched(pairs) -> Branches:
    """The branches and the matching members' ids from the matches' (pk, branch id) in (branch path, name, pk) order:
    the counts and the ids from one read, so they agree. A branch's members are side by side in that order."""
    ids, totals, members = array("q"), array("q"), array("q")
    for pk, branch in pairs:
        if not ids or ids[-1] != branch:
            ids.append(branch)
            totals.append(totals[-1] if totals else 0)
        totals[-1] += 1
        members.append(pk)
    return Branches(ids, totals, members)


def _holding(totals: array, start: int, stop: int | None) -> tuple[int, int]:
    """The positions [first, last) of the branches holding members number `start` to `stop - 1` (counted from 0)."""
    first = bisect_right(totals, start)  # the branch holding member number `start`
    last = len(totals) if stop is None else bisect_left(totals, stop) + 1  # past the branch holding `stop - 1`
    return first, last


class BranchOrderedMembers:
    """A sliceable, countable view of `members` for django.core.paginator.Paginator."""

    def __init__(
        self,
        members: QuerySet | Callable[[], QuerySet],
        rows: QuerySet | None = None,
        kept: tuple | None = None,
        window_rows: Callable[[list[int], int, int], list] | None = None,
        matched_rows: Callable[[list[int]], list] | None = None,
    ):
        """`members`: the scoped, filtered members, or a function that builds them (only called when the counts
        are not kept: building the scope's subquery costs more than reading the kept counts). `rows`, optional: the same filters without the scope's
        subquery, to fetch the members of the few branches the count of `members` found. Those branches are
        in the scope, and a member is in the scope through its branch alone, so the rows are the same; but
        with the scope's subquery SQLite walks every branch of the scope (a county's 800) instead of the
        few named, reading the whole member table for each page. `kept`, optional: (user, the filters) to keep
        the per-branch counts while nothing audited changes (apps/audit/memo.py): a county's 800 branches are
        counted over 32,000 members once, not for every page looked at. `window_rows`, optional, in place of
        `rows`: `(branch ids, offset, limit) -> rows`, a page's rows without building a queryset (a compiled
        query, apps.core.compiled.CompiledWindow), the same rows `rows` would give. `matched_rows`, optional, for a
        filtered list: `(member ids) -> rows` in the order of the ids; the matching members' ids are then counted
        (and kept) with the branches, in (branch path, name, pk) order, when there are at most MATCHES_KEPT, and a
        page is read by its fifty ids."""
        if rows is None and window_rows is None and callable(members):
            members = members()
        self.members = members
        self.kept = kept
        self.rows = rows if rows is not None else members
        self.window_rows = window_rows
        self.matched_rows = matched_rows
        self._branches: Branches | None = None

    def key(self) -> str | None:
        """The key the counts are kept under (apps.audit.memo.read_ahead), or None when they are not kept."""
        return None if self.kept is None else counts_key(*self.kept)

    def branches(self) -> Branches:
        """The branches with matching members in path order, and the running total of their members."""
        if self._branches is None:
            if self.kept is None:
                self._branches = self._count()
            else:
                from apps.audit.memo import remember

                user, filters = self.kept
                self._branches = remember("member-branches", user, self._count, filters)
        return self._branches

    def _count(self) -> Branches:
        members = self.members() if callable(self.members) else self.members
        counts = dict(members.order_by().values("branch_id").annotate(n=Count("pk")).values_list("branch_id", "n"))
        if self.matched_rows is not None and sum(counts.values()) <= MATCHES_KEPT:
            return _matched(members.order_by(*ORDERING).values_list("pk", "branch_id") if counts else ())
        paths: dict[int, str] = {}
        if counts:
            # The paths of the branches found: a primary-key range (a superset) costs less than a long IN list.
            in_range = Organization.objects.filter(pk__range=(min(counts), max(counts))).order_by()
            paths = {pk: path for pk, path in in_range.values_list("pk", "path") if pk in counts}
        ordered = sorted(counts, key=lambda pk: (paths.get(pk, ""), pk))
        return Branches(array("q", ordered), array("q", accumulate(counts[pk] for pk in ordered)))

    def count(self) -> int:
        totals = self.branches().totals
        return totals[-1] if totals else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("BranchOrderedMembers supports plain slices only")
        start, stop = key.start or 0, key.stop
        if start < 0 or (stop is not None and stop < 0):
            raise ValueError("negative indexing is not supported")
        ids, totals, matches = self.branches()
        if matches is not None and self.matched_rows is not None:
            window = list(matches[start:stop])
            return self.matched_rows(window) if window else []
        first, last = _holding(totals, start, stop)
        window = list(ids[first:last])
        if not window or (stop is not None and stop <= start):
            return []
        skip = start - (totals[first - 1] if first else 0)
        if self.window_rows is not None:
            return self.window_rows(window, skip, (totals[-1] if stop is None else stop) - start)
        end = None if stop is None else skip + (stop - start)
        return list(self.rows.filter(branch_id__in=window).order_by(*ORDERING)[skip:end])
