"""The member list's filters (same query string as /members/), applied for the export."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.orgs.forms import MemberFilterForm
from apps.orgs.models import Member


def filtered_members(user, params) -> tuple[QuerySet[Member], str]:
    """The members the list page shows for these parameters, and a description for the file and the log."""
    members, parts = MemberFilterForm(params or None, user=user).apply(Member.objects.visible_to(user))
    return members, "党员名册" + (f"（{'，'.join(parts)}）" if parts else "")
