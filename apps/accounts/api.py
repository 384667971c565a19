"""API: who am I, and accounts (POST users), over the actions of the accounts page."""

from __future__ import annotations

import re

from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field, field_validator

from apps.api.schemas import WRITE_ERRORS, Id, errors, text
from apps.core.fetch import fetch
from apps.orgs.models import Organization

from . import actions
from .models import Role

router = Router(tags=["账号"])


class MeOut(Schema):
    id: int
    username: str
    role: Role
    org_id: int | None


@router.get("me", response={200: MeOut, **errors()}, summary="当前令牌所属账号")
def me(request):
    user = request.auth
    return {"id": user.pk, "username": user.username, "role": user.role, "org_id": user.organization_id}


class UserIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"username": "qingshi_sj", "password": "Qingshi-2026-ok", "name": "李书记", "role": "branch_secretary", "org_id": 5}
            ]
        }
    )

    username: text(150, min_length=1) = Field(description="字母、数字和 @ . + - _")
    password: str = Field(min_length=1, max_length=128, description="初始密码；首次登录须修改")
    name: text(40) = Field("", description="姓名")
    role: Role
    org_id: Id | None = Field(None, description="所属党组织：镇角色为镇党委，支部书记为其支部，县委组织部为县委；系统管理员不填")
    can_approve: bool = Field(False, description="镇党建办兼任镇党委审批（须由系统管理员设置）")

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        if not re.fullmatch(r"[\w.@+-]+", value):
            raise ValueError("用户名只能包含字母、数字和 @ . + - _")
        return value


class UserOut(Schema):
    id: int
    username: str
    role: Role
    org_id: int | None
    can_approve: bool
    may_approve: bool = Field(description="是否持有镇党委审批权（镇党委审批，或兼任审批的镇党建办）")


def user_out(user) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "role": user.role,
        "org_id": user.organization_id,
        "can_approve": user.can_approve,
        "may_approve": user.may_approve,
    }


@router.post("users", response={201: UserOut, **WRITE_ERRORS}, summary="新建账号")
def create_user(request, payload: UserIn):
    org = fetch(request.auth, Organization.objects, pk=payload.org_id) if payload.org_id is not None else None
    data = {
        "username": payload.username,
        "display_name": payload.name,
        "role": payload.role,
        "organization": org,
        "can_approve": payload.can_approve,
        "is_active": True,
    }
    user = actions.create_user(request.auth, data, payload.password)
    return Status(201, user_out(user))
