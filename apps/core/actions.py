"""Shared pieces of the "one function per state change" layer.

An action function takes the acting user first, checks permission and rules, changes the data inside
one transaction, writes the audit row in the same transaction, and returns the changed object.

How an action refuses:
- `PermissionDenied` — the role may not do this at all (403; the page hides the button);
- `ActionError` — a rule refuses it now (422); `.blockers` lists every reason in Chinese;
- `Conflict` — the state changed under the caller, or it was already done (409).

A transition that can be blocked has a `<name>_blockers(actor, obj, ...) -> list[str]` function next to
it. The action calls `refuse(blockers)` inside its transaction, after locking the row; a page calls the
same function to show "why not" before the user clicks, and the API returns the list as `blockers`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["ActionError", "Conflict", "PermissionDenied", "refuse", "refuse_unless"]


class ActionError(ValidationError):
    """A rule refused the change; `.messages` are Chinese sentences to show the user."""

    @property
    def blockers(self) -> list[str]:
        return list(self.messages)


class Conflict(ActionError):
    """The object is no longer in the state the caller saw (already used, already decided, changed)."""


def refuse_unless(condition: bool, message: str = "您没有执行此操作的权限。") -> None:
    if not condition:
        raise PermissionDenied(message)


def refuse(blockers: list[str] | dict[str, list[str]], *, conflict: bool = False) -> None:
    """Raise one error listing every reason, or return if there is none."""
    if blockers:
        raise (Conflict if conflict else ActionError)(blockers)
