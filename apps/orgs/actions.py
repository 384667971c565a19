"""State changes of organizations, members and appraisals. Views, imports and commands call these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction

from apps.audit.log import diff, record, snapshot
from apps.core import clock
from apps.core.actions import ActionError, refuse_unless

from .audit import OrgAudit
from .choices import MemberStatus, OrgLevel
from .models import Appraisal, Member, Organization
from .rules import BASIC_ORG_ONLY, appraisal_errors, member_rule_errors

MEMBER_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "education",
    "category",
    "joined_on",
    "confirmed_on",
    "branch",
    "post",
    "status",
    "sanction_start",
    "sanction_end",
    "sanction_note",
    "note",
]


def can_manage_member(user, member: Member) -> bool:
    return user.manages_members and Member.objects.visible_to(user).filter(pk=member.pk).exists()


def can_manage_org(user, org: Organization) -> bool:
    return user.manages_members and Organization.objects.visible_to(user).filter(pk=org.pk).exists()


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ActionError(errors)


@transaction.atomic
def create_member(actor, data: dict[str, Any]) -> Member:
    """Add a member to a branch the actor manages."""
    data = dict(data)
    branch = data["branch"]
    refuse_unless(can_manage_org(actor, branch), "您无权在该党组织中添加党员。")
    _raise(member_rule_errors(data))
    member = Member(**{k: v for k, v in data.items() if k in MEMBER_FIELDS})
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ActionError({"id_number": ["该身份证号已登记为在册党员。"]}) from None
    record(actor, OrgAudit.MEMBER_CREATE, member, changes=diff({}, snapshot(member)), town=branch.town())
    return member


@transaction.atomic
def update_member(actor, member: Member, data: dict[str, Any], *, note: str = "") -> Member:
    """Edit a member's record. Moving between branches goes through `transfer_member`."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    refuse_unless(can_manage_member(actor, member), "您无权修改该党员信息。")
    data = {k: v for k, v in data.items() if k in MEMBER_FIELDS}
    if "branch" in data and data["branch"].pk != member.branch_id:
        refuse_unless(can_manage_org(actor, data["branch"]), "您无权将党员转入该党组织。")
    merged = {f: getattr(member, f) for f in MEMBER_FIELDS} | data
    _raise(member_rule_errors(merged, exclude_pk=member.pk))
    before = snapshot(member)
    for key in data:
        setattr(member, key, merged[key])
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ActionError({"id_number": ["该身份证号已登记为在册党员。"]}) from None
    changes = diff(before, snapshot(member))
    if changes:
        record(actor, OrgAudit.MEMBER_UPDATE, member, changes=changes, note=note, town=member.branch.town())
    return member


@transaction.atomic
def transfer_member(
    actor, member: Member, *, to_branch: Organization | None = None, status: str | None = None, on: dt.date | None = None, reason: str = ""
) -> Member:
    """Move a member to another branch of the town, or change the roster status (转出 / 停止党籍 / 去世 / 在册)."""
    member = Member.objects.select_for_update().select_related("branch").get(pk=member.pk)
    refuse_unless(can_manage_member(actor, member), "您无权办理该党员的组织关系。")
    if not reason.strip():
        raise ActionError({"reason": ["请填写变更原因。"]})
    if to_branch is None and (status is None or status == member.status):
        raise ActionError("请选择转入的党组织或新的状态。")
    before = snapshot(member)
    if to_branch is not None and to_branch.pk != member.branch_id:
        refuse_unless(can_manage_org(actor, to_branch), "您无权将党员转入该党组织。")
        if to_branch.level in (OrgLevel.COUNTY, OrgLevel.TOWN):
            raise ActionError({"to_branch": [BASIC_ORG_ONLY]})
        member.branch = to_branch
    if status is not None and status != member.status:
        if status == MemberStatus.ACTIVE:
            errors = member_rule_errors({f: getattr(member, f) for f in MEMBER_FIELDS} | {"status": status}, exclude_pk=member.pk)
            _raise({k: v for k, v in errors.items() if k == "id_number"})
        member.status = status
        member.status_changed_on = on or clock.today()
    member.save()
    record(actor, OrgAudit.MEMBER_TRANSFER, member, changes=diff(before, snapshot(member)), note=reason.strip(), town=member.branch.town())
    return member


@transaction.atomic
def reveal_member_pii(actor, member: Member, *, ip: str | None = None) -> dict[str, str]:
    """Return the full ID number and phone; the viewing itself is logged."""
    refuse_unless(Member.objects.visible_to(actor).filter(pk=member.pk).exists() and actor.manages_members, "您无权查看该党员的完整信息。")
    record(actor, OrgAudit.MEMBER_REVEAL, member, note="查看完整身份证号和联系电话", town=member.branch.town(), ip=ip)
    return {"id_number": member.id_number, "phone": member.phone}


def _save_appraisal(actor, member: Member, existing: Appraisal | None, year: int, grade: str, note: str, town) -> Appraisal:
    """Write one grade and its audit row (only the fields that changed)."""
    fields = ["year", "grade", "note"]
    before = snapshot(existing, fields=fields) if existing else {}
    appraisal = existing or Appraisal(member=member, year=year)
    appraisal.grade = grade
    appraisal.note = note
    appraisal.recorded_by = actor
    appraisal.save()
    changes = diff(before, snapshot(appraisal, fields=fields) | ({"党员": str(member)} if not existing else {}))
    if changes:
        record(actor, OrgAudit.APPRAISAL_UPDATE if existing else OrgAudit.APPRAISAL_CREATE, appraisal, changes=changes, town=town)
    return appraisal


@transaction.atomic
def record_appraisal(actor, member: Member, year: int, grade: str, note: str = "") -> Appraisal:
    """Record (or correct) a member's 民主评议 grade for a year."""
    refuse_unless(can_manage_member(actor, member), "您无权录入该党员的民主评议结果。")
    _raise(appraisal_errors(year, [grade]))
    existing = Appraisal.objects.select_for_update().filter(member=member, year=year).first()
    return _save_appraisal(actor, member, existing, year, grade, note, member.branch.town())


@transaction.atomic
def record_appraisals(actor, year: int, grades: dict[Member, str]) -> int:
    """Record many members' grades for one year at once (all or nothing); returns how many changed.

    A grade equal to the recorded one is left alone; a corrected grade keeps its note."""
    _raise(appraisal_errors(year, list(grades.values())))
    pks = {member.pk for member in grades}
    managed = Member.objects.visible_to(actor).filter(pk__in=pks).count() if actor.manages_members else 0
    refuse_unless(managed == len(pks), "您无权录入其中部分党员的民主评议结果。")
    existing = {a.member_id: a for a in Appraisal.objects.select_for_update().filter(member_id__in=pks, year=year)}
    towns: dict[int, Organization | None] = {}
    changed = 0
    for member, grade in grades.items():
        current = existing.get(member.pk)
        if current is not None and current.grade == grade:
            continue
        if member.branch_id not in towns:
            towns[member.branch_id] = member.branch.town()
        _save_appraisal(actor, member, current, year, grade, current.note if current else "", towns[member.branch_id])
        changed += 1
    return changed


ORG_FIELDS = ["name", "short_name", "level", "kind", "parent", "sort_order", "secretary_name", "contact_phone", "is_active"]


# Which levels may sit directly under which (None = top of the tree).
ALLOWED_PARENT_LEVELS = {
    OrgLevel.COUNTY: {None},
    OrgLevel.TOWN: {OrgLevel.COUNTY},
    OrgLevel.PARTY_COMMITTEE: {OrgLevel.TOWN},
    OrgLevel.GENERAL_BRANCH: {OrgLevel.TOWN, OrgLevel.PARTY_COMMITTEE},
    OrgLevel.BRANCH: {OrgLevel.TOWN, OrgLevel.PARTY_COMMITTEE, OrgLevel.GENERAL_BRANCH},
}


@transaction.atomic
def create_organization(actor, data: dict[str, Any]) -> Organization:
    """Add an organization to the tree. Counties and towns are set up by an administrator."""
    parent = data.get("parent")
    level = data.get("level", OrgLevel.BRANCH)
    if parent is None:
        refuse_unless(actor.is_admin_role, "请选择上级党组织。")
    else:
        refuse_unless(
            actor.manages_town and Organization.objects.visible_to(actor).filter(pk=parent.pk).exists(),
            "您无权在该党组织下新建组织。",
        )
    refuse_unless(actor.is_admin_role or level not in (OrgLevel.COUNTY, OrgLevel.TOWN), "只有系统管理员可以设立县、镇党组织。")
    if (parent.level if parent else None) not in ALLOWED_PARENT_LEVELS.get(level, set()):
        raise ActionError(
            {"parent": [f"“{OrgLevel(level).label}”不能设在“{parent.get_level_display() if parent else '（无上级）'}”之下。"]}
        )
    if Organization.objects.filter(parent=parent, name=data["name"]).exists():
        raise ActionError({"name": ["同一上级党组织下已有同名组织。"]})
    org = Organization(**{k: v for k, v in data.items() if k in ORG_FIELDS})
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError:
        raise ActionError({"name": ["同一上级党组织下已有同名组织。"]}) from None  # a concurrent request got there first
    record(actor, OrgAudit.ORG_CREATE, org, changes=diff({}, snapshot(org)), town=org.town())
    return org


@transaction.atomic
def update_organization(actor, org: Organization, data: dict[str, Any]) -> Organization:
    org = Organization.objects.select_for_update().get(pk=org.pk)
    refuse_unless(actor.manages_town and Organization.objects.visible_to(actor).filter(pk=org.pk).exists(), "您无权修改该党组织。")
    data = {k: v for k, v in data.items() if k in ORG_FIELDS and k != "parent"}
    if data.get("level", org.level) != org.level:
        refuse_unless(actor.is_admin_role or data["level"] not in (OrgLevel.COUNTY, OrgLevel.TOWN), "只有系统管理员可以设立县、镇党组织。")
        if (org.parent.level if org.parent_id else None) not in ALLOWED_PARENT_LEVELS.get(data["level"], set()):
            raise ActionError({"level": ["该层级与上级党组织不相符。"]})
    if "name" in data and Organization.objects.filter(parent_id=org.parent_id, name=data["name"]).exclude(pk=org.pk).exists():
        raise ActionError({"name": ["同一上级党组织下已有同名组织。"]})
    before = snapshot(org)
    for key, value in data.items():
        setattr(org, key, value)
    org.save()
    changes = diff(before, snapshot(org))
    if changes:
        record(actor, OrgAudit.ORG_UPDATE, org, changes=changes, town=org.town())
    return org
