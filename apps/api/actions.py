"""Token actions: create (the token is returned once, never stored) and revoke."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.audit.log import record
from apps.core.actions import refuse, refuse_unless

from .audit import ApiAudit
from .models import ApiToken, digest_of, new_token

DEFAULT_DAYS = 90
MAX_DAYS = 366


def create_api_token(user, *, name: str = "接口调用", days: int = DEFAULT_DAYS, actor=None) -> tuple[ApiToken, str]:
    """A new token for `user`, valid `days` days; returns the row and the token text (shown once)."""
    name = (name or "").strip()
    blockers = []
    if not name:
        blockers.append("请填写令牌用途。")
    if not 1 <= days <= MAX_DAYS:
        blockers.append(f"有效期应为 1～{MAX_DAYS} 天。")
    if not user.is_active:
        blockers.append("该账号已停用，不能创建令牌。")
    refuse(blockers)
    token = new_token()
    with transaction.atomic():
        row = ApiToken.objects.create(
            user=user, name=name[:60], digest=digest_of(token), hint=token[-4:], expires_at=timezone.now() + timedelta(days=days)
        )
        record(
            actor if actor is not None else user,
            ApiAudit.TOKEN_CREATE,
            row,
            note=f"{user.username}：{row.name}，{days} 天",
            town=user.town(),  # the town office sees its town's tokens in its log
        )
    return row, token


def revoke_api_token(actor, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens (an administrator may revoke anyone's)."""
    refuse_unless(token.user_id == actor.pk or actor.is_admin_role, "只能撤销自己的接口令牌。")
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().get(pk=token.pk)
        refuse(["该令牌已撤销。"] if row.revoked_at else [], conflict=True)
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        record(actor, ApiAudit.TOKEN_REVOKE, row, note=f"{row.user.username}：{row.name}", town=row.user.town())
    return row
