"""--scope ORG_NAME of the roster commands: one organization by its full or short name."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import Q

from apps.orgs.models import Organization


def scope_by_name(name: str | None) -> Organization | None:
    if not name:
        return None
    found = list(Organization.objects.filter(Q(name=name) | Q(short_name=name))[:5])
    if not found:
        raise CommandError(f"未找到名为“{name}”的党组织。")
    if len(found) > 1:
        parents = "、".join(str(o.parent or "（顶级）") for o in found)
        raise CommandError(f"有多个党组织名为“{name}”（上级分别为：{parents}），请使用全称。")
    return found[0]
