"""Who may see what: the one place that turns a user's role and organization into its scope.

`User.scope` calls `compute_scope` once per user object (a request's user is built per request), and
every model's `visible_to(user)` reads it through `apps.core.scope.scope_of`.
"""

from __future__ import annotations

from apps.core.scope import NOTHING, Scope
from apps.orgs.choices import OrgLevel
from apps.orgs.models import Organization

from .models import Role


def compute_scope(user) -> Scope:
    if not user.is_active:
        return NOTHING
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
        towns = tuple(Organization.objects.filter(path__startswith=org.path, level=OrgLevel.TOWN).values_list("pk", flat=True))
        return Scope(org_paths=(org.path,), member_paths=(org.path,), town_ids=towns)
    if user.role == Role.INSPECTOR:
        # Inspectors work on villages, never on member records. Until inspection groups assign
        # particular villages, an inspector sees the village organizations of its own town.
        paths = tuple(Organization.objects.filter(path__startswith=org.path).villages().values_list("path", flat=True))
        return Scope(org_paths=paths, member_paths=(), town_ids=(org.pk,))
    return NOTHING
