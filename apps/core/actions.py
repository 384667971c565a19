"""Shared pieces of the "one function per state change" layer.

An action function takes the acting user first, checks permission and rules, changes the data inside
one transaction, writes the audit row in the same transaction, and returns the changed object.
It raises `ActionError` (a ValidationError with Chinese messages) when a rule refuses the change and
`PermissionDenied` when the user may not act on the object at all.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError


class ActionError(ValidationError):
    """A rule refused the change; `.messages` are Chinese sentences to show the user."""


def refuse_unless(condition: bool, message: str = "您没有执行此操作的权限。") -> None:
    if not condition:
        raise PermissionDenied(message)


def blockers_to_error(blockers: list[str]) -> None:
    """Raise one ActionError listing every reason, or return if there is none."""
    if blockers:
        raise ActionError(blockers)
