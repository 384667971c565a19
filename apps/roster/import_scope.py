"""Where an import may write: the organizations below the chosen one that the user manages.

A town office imports into its town (or one branch of it), a branch secretary only into its own branch,
a management command (no user) into the subtree named by --scope or anywhere.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import QuerySet

from apps.core.actions import refuse_unless
from apps.orgs.choices import OrgLevel
from apps.orgs.models import Member, Organization

from .normalize import clean_org_name

PATH_SEPARATOR = re.compile(r"[/／\\＼>＞]")


def path_parts(text: str) -> list[str]:
    """ "中共云岭县委员会 / 中共青山镇委员会" → its organization names, top down."""
    return [part.strip() for part in PATH_SEPARATOR.split(text or "") if part.strip()]


@dataclass
class ImportScope:
    actor: object
    root: Organization | None
    orgs: dict[int, Organization]
    _by_name: dict[str, list[Organization]] = field(default_factory=dict, repr=False)
    _resolved: dict[tuple[str, str], tuple[Organization | None, str]] = field(default_factory=dict, repr=False)
    _towns: dict[int, int | None] = field(default_factory=dict, repr=False)
    _outside: dict[int, Organization] = field(default_factory=dict, repr=False)  # ancestors above the scope

    @property
    def label(self) -> str:
        return str(self.root) if self.root is not None else "全部党组织"

    def members(self) -> QuerySet[Member]:
        members = Member.objects.all() if self.actor is None else Member.objects.visible_to(self.actor)
        if self.root is not None:
            members = members.under(self.root)
        return members

    @property
    def basic_orgs(self) -> list[Organization]:
        return [o for o in self.orgs.values() if o.level not in (OrgLevel.COUNTY, OrgLevel.TOWN)]

    def default_branch(self) -> Organization | None:
        """The branch a row without a branch name goes to: only when the scope holds just one."""
        basic = self.basic_orgs
        return basic[0] if len(basic) == 1 else None

    def town_of(self, org_id: int) -> int | None:
        """The town (镇党委) an organization of the scope belongs to, for the audit log."""
        if org_id not in self._towns:
            org = self.orgs.get(org_id)
            while org is not None and org.level != OrgLevel.TOWN:
                org = self.orgs.get(org.parent_id)
            if org is None and org_id in self.orgs:
                org = self.orgs[org_id].town()
            self._towns[org_id] = org.pk if org is not None else None
        return self._towns[org_id]

    def resolve_branch(self, raw_name: str, parent: str = "") -> tuple[Organization | None, str]:
        """The organization a row names, or a Chinese reason (with the closest name in scope).

        `parent` (the 上级党组织 column) names organizations above it, top down and separated by "/";
        any of them may be left out ("中共青山镇委员会" alone will do for a branch of a village 党委).
        The branch cell itself may also hold such a path ending in the branch's name."""
        key = (raw_name, parent)
        if key not in self._resolved:  # a roster names the same few dozen branches thousands of times
            self._resolved[key] = self._resolve(raw_name, parent)
        return self._resolved[key]

    def _resolve(self, raw_name: str, parent: str) -> tuple[Organization | None, str]:
        if not self._by_name:
            for org in self.orgs.values():
                for name in {clean_org_name(org.name), clean_org_name(org.short_name)} - {""}:
                    self._by_name.setdefault(name, []).append(org)
        parts = path_parts(raw_name) or [raw_name]
        name, above = parts[-1], [clean_org_name(p) for p in path_parts(parent) + parts[:-1]]
        key = clean_org_name(name)
        found = self._by_name.get(key, [])
        if found and above:
            found = [org for org in found if self._is_below(org, above)]
            if not found:
                return None, f"未找到上级党组织为“{'/'.join(path_parts(parent) + parts[:-1])}”的“{name}”，请核对上级党组织。"
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            example = self.parent_path(found[0])
            return None, (
                f"党组织名称“{name}”在导入范围内不唯一，请在“上级党组织”列填写其上级（如“{example}”），或在上传时选择具体的导入范围。"
            )
        return None, self._unknown_reason(name, key)

    def _ancestors(self, org: Organization) -> list[Organization]:
        """The organizations above `org`, top down (those above the scope read once)."""
        ids = org.ancestor_ids()[:-1]
        missing = [pk for pk in ids if pk not in self.orgs and pk not in self._outside]
        if missing:
            self._outside.update(Organization.objects.in_bulk(missing))
        return [o for o in (self.orgs.get(pk) or self._outside.get(pk) for pk in ids) if o is not None]

    def _is_below(self, org: Organization, above: list[str]) -> bool:
        """Whether the names in `above` are, in this order, among the organizations above `org`."""
        chain = iter(self._ancestors(org))
        return all(any(want in (clean_org_name(o.name), clean_org_name(o.short_name)) for o in chain) for want in above)

    def parent_path(self, org: Organization) -> str:
        return "/".join(o.name for o in self._ancestors(org))

    def _unknown_reason(self, raw_name: str, key: str) -> str:
        if Organization.objects.filter(name=raw_name).exists() or Organization.objects.filter(short_name=raw_name).exists():
            return f"党组织“{raw_name}”不在本次导入范围（{self.label}）内。"
        names = [clean_org_name(o.name) for o in self.basic_orgs]
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.5)
        if close:
            return f"未找到党组织“{raw_name}”，是否应为“{close[0]}”？"
        return f"未找到党组织“{raw_name}”，请填写系统中已有的党组织名称。"


def import_scope(actor, root: Organization | None = None) -> ImportScope:
    """The scope an actor imports into below `root`; refuses users who don't manage members."""
    if actor is not None:
        refuse_unless(actor.is_authenticated and actor.manages_members, "您无权导入或导出党员名册。")
        visible = Organization.objects.visible_to(actor)
        if root is None and not actor.is_admin_role:
            root = actor.organization  # a town office's town, a secretary's branch
    else:
        visible = Organization.objects.all()
    if root is not None:
        refuse_unless(visible.filter(pk=root.pk).exists(), "您无权向该党组织导入党员。")
        visible = visible.filter(path__startswith=root.path)
    orgs = {o.pk: o for o in visible.filter(is_active=True).only("pk", "name", "short_name", "level", "kind", "path", "parent_id")}
    if root is not None:
        orgs.setdefault(root.pk, root)
    return ImportScope(actor=actor, root=root, orgs=orgs)
