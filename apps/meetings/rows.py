"""A poll round and its results as plain values (apps.core.rows), for the pages that keep them: the meeting page and
the town's review."""

from __future__ import annotations

from apps.core.rows import Row


def round_row(r) -> Row:
    """A PollRound's counts as the pages show them."""
    return Row(number=r.number, status=r.status, issued=r.issued, used=r.used, valid=r.valid, invalid=r.invalid, max_choices=r.max_choices)


def result_row(x) -> Row:
    """One candidate's RoundResult (its candidate and member read with it)."""
    return Row(name=x.candidate.member.name, votes=x.votes, passed=x.passed, recommended=x.recommended, tied=x.tied)
