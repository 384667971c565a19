"""What a user may see, as data: the organization subtrees of its scope.

The scope itself is computed by the accounts app (`User.scope`, from the role and the organization);
this module knows only its shape, so the core depends on no domain app. Querysets restrict rows with
`ScopedQuerySet.visible_to(user)` (apps/core/querysets.py), which reads `scope_of(user)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    # Materialized-path prefixes of the organization subtrees the user may see.
    org_paths: tuple[str, ...] = ()
    # Prefixes whose members (and their personal data) the user may see.
    member_paths: tuple[str, ...] = ()
    # The towns whose campaigns (and town-wide lists) the user may see.
    town_ids: tuple[int, ...] = field(default=())


NOTHING = Scope()


def scope_of(user) -> Scope:
    """The user's scope; nothing for anonymous or disabled users."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NOTHING
    return getattr(user, "scope", NOTHING)
