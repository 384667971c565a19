"""One scoped queryset for every model: `Model.objects.visible_to(user)`.

A model's queryset names where its organization is (`scope_field`, a lookup path to an Organization
foreign key, or "" for the Organization model itself) and along which axis of the scope it is seen:

- "orgs": organizations and what belongs to them (meetings, nominations, villages);
- "members": personal data (members, appraisals): a reviewer may see organizations without members;
- "towns": town-wide objects (campaigns, notices), seen by everybody who works in the town.

Every view, API endpoint and export fetches through `visible_to`, so a changed id in a URL is a 404.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .scope import scope_of

AXES = ("orgs", "members", "towns")


def path_q(paths, field: str = "path") -> Q:
    """Rows whose materialized path starts with any of `paths` (no rows for no paths)."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


class ScopedQuerySet(models.QuerySet):
    scope_field: str = ""
    scope_axis: str = "orgs"

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.everything:
            return self
        if self.scope_axis == "towns":
            if not scope.town_ids:
                return self.none()
            return self.filter(**{f"{self.scope_field}__in": scope.town_ids})
        paths = scope.member_paths if self.scope_axis == "members" else scope.org_paths
        if not paths:
            return self.none()
        if not self.scope_field:
            return self.filter(path_q(paths))
        # A subquery rather than a join: counts and per-branch totals then use the foreign key's index alone.
        organizations = self._organization_model()._default_manager.filter(path_q(paths)).values("pk")
        return self.filter(**{f"{self.scope_field}__in": organizations})

    def _organization_model(self):
        model = self.model
        for part in self.scope_field.split("__"):
            model = model._meta.get_field(part).related_model
        return model
