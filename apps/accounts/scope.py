"""Who may see what: the one place that turns a user's role and organization into its scope.

`User.scope` calls `compute_scope` once per user object (a request's user is built per request), and
every model's `visible_to(user)` reads it through `apps.core.scope.scope_of`.

A branch secretary's town, a county's towns and a town's villages are read from the organization tree. Every
change to the tree is an action that writes an audit row, so that part is read once per audited change (kept per
user, role and organization under the audit head, apps/audit/memo.py); the user's own row (active, role,
organization) is read afresh on every request.
"""

from __future__ import annotations

from apps.audit.memo import kept_key, remember
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
    if user.role in KEPT_ROLES:
        return remember("scope", user, lambda: _from_tree(user, org), *_kept_parts(user))
    return NOTHING


# The roles whose scope is read from the organization tree, and kept.
KEPT_ROLES = (Role.BRANCH_SECRETARY, Role.COUNTY_REVIEWER, Role.INSPECTOR)


def _kept_parts(user) -> tuple:
    return user.role, user.organization.pk, user.organization.path


def scope_key(user) -> str | None:
    """The key `compute_scope` keeps the user's scope under, for a page to read it ahead with its other kept values
    (apps.audit.memo.read_ahead); None when the scope is not kept (a town role's is its organization alone)."""
    if not user.is_active or user.is_superuser or user.role not in KEPT_ROLES or user.organization is None:
        return None
    return kept_key("scope", user, *_kept_parts(user))


def _from_tree(user, org: Organization) -> Scope:
    if user.role == Role.BRANCH_SECRETARY:
        town = org.town()
        return Scope(org_paths=(org.path,), member_paths=(org.path,), town_ids=(town.pk,) if town else ())
    if user.role == Role.COUNTY_REVIEWER:
        towns = tuple(Organization.objects.filter(path__startswith=org.path, level=OrgLevel.TOWN).values_list("pk", flat=True))
        return Scope(org_paths=(org.path,), member_paths=(org.path,), town_ids=towns)
    # An inspector works on villages, never on member records. Until inspection groups assign particular villages,
    # an inspector sees the village organizations of its own town.
    paths = tuple(Organization.objects.filter(path__startswith=org.path).villages().values_list("path", flat=True))
    return Scope(org_paths=paths, member_paths=(), town_ids=(org.pk,))
