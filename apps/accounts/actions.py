"""Account management: a town office manages its town's accounts; an administrator manages all."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.log import diff, record, snapshot
from apps.core.actions import ActionError, refuse_unless
from apps.orgs.models import Organization

from .audit import AccountAudit
from .models import ROLE_ORG_LEVEL, Role, User, UserSession

USER_FIELDS = ["username", "display_name", "phone", "role", "organization", "can_approve", "is_active"]
AUDITED = ["username", "display_name", "phone", "role", "organization", "can_approve", "is_active"]


def manageable_users(actor):
    """Accounts the actor may administer."""
    if actor.is_admin_role:
        return User.objects.all()
    if actor.is_town_office and actor.organization_id:
        orgs = Organization.objects.visible_to(actor)
        return User.objects.filter(organization__in=orgs).exclude(role__in=[Role.ADMIN, Role.COUNTY_REVIEWER]).exclude(is_superuser=True)
    return User.objects.none()


def _check(actor, data: dict[str, Any], *, was_approver: bool = False) -> None:
    role, org = data.get("role"), data.get("organization")
    errors: dict[str, list[str]] = {}
    if role != Role.ADMIN:
        if org is None:
            errors["organization"] = ["请选择该账号所属的党组织。"]
        elif org.level not in ROLE_ORG_LEVEL.get(role, ()):
            errors["organization"] = [f"“{Role(role).label}”账号须属于{_levels_label(role)}。"]
        elif not Organization.objects.visible_to(actor).filter(pk=org.pk).exists():
            errors["organization"] = ["您无权为该党组织创建账号。"]
    if not actor.is_admin_role and role in (Role.ADMIN, Role.COUNTY_REVIEWER):
        errors["role"] = ["镇党建办只能管理本镇的账号。"]
    if data.get("can_approve") and role != Role.TOWN_OFFICE:
        data["can_approve"] = False
    if data.get("can_approve") and not was_approver and not actor.is_admin_role:
        errors["can_approve"] = ["兼任镇党委审批须由系统管理员设置。"]
    if errors:
        raise ActionError(errors)


def _levels_label(role: str) -> str:
    from apps.orgs.choices import OrgLevel

    return "、".join(OrgLevel(level).label for level in ROLE_ORG_LEVEL[role])


@transaction.atomic
def create_user(actor, data: dict[str, Any], password: str) -> User:
    refuse_unless(actor.is_admin_role or actor.is_town_office, "您无权创建账号。")
    data = {k: v for k, v in data.items() if k in USER_FIELDS}
    _check(actor, data)
    if User.objects.filter(username=data["username"]).exists():
        raise ActionError({"username": ["该用户名已被使用。"]})
    user = User(**data)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ActionError({"password": exc.messages}) from None
    user.set_password(password)
    user.must_change_password = True  # nobody keeps a password chosen by somebody else
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ActionError({"username": ["该用户名已被使用。"]}) from None  # a concurrent request got there first
    record(actor, AccountAudit.USER_CREATE, user, changes=diff({}, snapshot(user, AUDITED)), town=user.town())
    return user


@transaction.atomic
def update_user(actor, user: User, data: dict[str, Any]) -> User:
    refuse_unless(manageable_users(actor).filter(pk=user.pk).exists(), "您无权修改该账号。")
    # From the database: a bound ModelForm has already written the new values onto the instance it was given.
    user = User.objects.select_for_update().get(pk=user.pk)
    data = {k: v for k, v in data.items() if k in USER_FIELDS and k != "username"}
    merged = {f: getattr(user, f) for f in USER_FIELDS} | data
    _check(actor, merged, was_approver=user.can_approve)
    if user.pk == actor.pk and merged.get("is_active") is False:
        raise ActionError({"is_active": ["不能停用自己的账号。"]})
    before = snapshot(user, AUDITED)
    disabling = user.is_active and merged.get("is_active") is False
    for key in data:
        setattr(user, key, merged[key])
    user.save()
    note = ""
    if disabling:
        sessions, tokens = end_access(user)
        note = f"停用账号：结束 {sessions} 个登录会话，撤销 {tokens} 个接口令牌"
    changes = diff(before, snapshot(user, AUDITED))
    if changes:
        record(actor, AccountAudit.USER_UPDATE, user, changes=changes, note=note, town=user.town())
    return user


def end_access(user: User) -> tuple[int, int]:
    """A disabled account keeps nothing: its login sessions are deleted and its API tokens revoked, so that
    enabling it again later gives back neither. Returns (sessions ended, tokens revoked)."""
    from apps.api.models import ApiToken

    now = timezone.now()
    ended, _ = UserSession.objects.filter(user=user, expire_date__gt=now).delete()
    UserSession.objects.filter(user=user).delete()  # the expired ones too: nothing of the login is kept
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    return ended, tokens


@transaction.atomic
def reset_password(actor, user: User, password: str) -> None:
    refuse_unless(user.pk == actor.pk or manageable_users(actor).filter(pk=user.pk).exists(), "您无权重置该账号的密码。")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ActionError({"password": exc.messages}) from None
    user.set_password(password)
    user.must_change_password = user.pk != actor.pk
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    record(actor, AccountAudit.USER_PASSWORD, user, note="修改密码" if user.pk == actor.pk else "重置密码", town=user.town())
