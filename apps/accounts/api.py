"""API: who am I."""

from __future__ import annotations

from ninja import Router, Schema

router = Router(tags=["账号"])


class MeOut(Schema):
    id: int
    username: str
    role: str
    org_id: int | None


@router.get("me", response=MeOut, summary="当前令牌所属账号")
def me(request):
    user = request.auth
    return {"id": user.pk, "username": user.username, "role": user.role, "org_id": user.organization_id}
