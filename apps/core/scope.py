"""Who may see what: the one place that turns a user into the subtrees of organizations it sees.

Every model's `visible_to(user)` queryset method asks `scope_for(user)`; views fetch objects only
through those methods, so a changed id in a URL yields 404 rather than another branch's data.
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
    town_ids: tuple[int, ...] = field(default=())


NOTHING = Scope()


def scope_for(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    scope = _compute(user)
    user._scope_cache = scope
    return scope


def _compute(user) -> Scope:
    from apps.accounts.models import Role
    from apps.orgs.models import Organization

    if user.is_superuser or user.role == Role.ADMIN:
        return Scope(everything=True)
    org = user.organization
    if org is None:
        return NOTHING
    if user.role in (Role.TOWN_OFFICE, Role.TOWN_APPROVER):
        return Scope(org_paths=(org.path,), member_paths=(org.path,), town_ids=(org.pk,))
    if user.role == Role.BRANCH_SECRETARY:
        town = org.town()
        return Scope(org_paths=(org.path,), member_paths=(org.path,), town_ids=(town.pk,) if town else ())
    if user.role == Role.COUNTY_REVIEWER:
        towns = tuple(Organization.objects.filter(path__startswith=org.path, level="town").values_list("pk", flat=True))
        return Scope(org_paths=(org.path,), member_paths=(org.path,), town_ids=towns)
    if user.role == Role.INSPECTOR:
        # Inspectors work on villages, never on member records. Until inspection groups assign
        # particular villages, an inspector sees the village organizations of its own town.
        paths = tuple(Organization.objects.filter(path__startswith=org.path).villages().values_list("path", flat=True))
        return Scope(org_paths=paths, member_paths=(), town_ids=(org.pk,))
    return NOTHING
