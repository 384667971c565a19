"""API: the audit log (GET audit?since=), for a town office (its own town) and an administrator."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field, field_validator

from apps.api.schemas import READ_ERRORS, text

from .models import AuditLog

router = Router(tags=["审计日志"])


class AuditFilter(Schema):
    since: dt.datetime | None = Field(None, description="只列出此时刻及以后的记录（ISO 8601；只写日期为当天 0 时，不带时区按北京时间）")
    action: text(60) | None = Field(None, description="操作代码，如 member.create")
    limit: int = Field(500, ge=1, le=1000, description="最多返回的条数，按时间先后排列；取下一批时以最后一条的 at 为 since")

    @field_validator("since", mode="before")
    @classmethod
    def _iso_text(cls, value):
        # Pydantic would also take a number of seconds since 1970; API.md's timestamps are ISO 8601 only.
        if value is not None and not (isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value)):
            raise ValueError("应为时间 YYYY-MM-DDTHH:MM:SS+08:00 或日期 YYYY-MM-DD")
        return value

    @field_validator("since")
    @classmethod
    def _in_range(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and not 1900 <= value.year <= 9000:
            raise ValueError("时间超出范围")
        return value


class AuditOut(Schema):
    id: int
    at: dt.datetime
    user: str = Field(description="操作人的用户名；系统、匿名投票人、公众为中文说明")
    action: str = Field(description="操作代码")
    action_label: str
    object: str = Field(description="对象（名称）")
    object_type: str
    object_id: str
    before: dict = Field(description="变更前：字段 → 值（身份证号、电话已脱敏）")
    after: dict = Field(description="变更后")
    note: str


def _side(changes, index: int) -> dict:
    """One side of the log's {label: [before, after]} pairs."""
    if not isinstance(changes, dict):
        return {}
    return {label: pair[index] for label, pair in changes.items() if isinstance(pair, (list, tuple)) and len(pair) == 2}


def may_read_audit(user) -> bool:
    return user.is_admin_role or user.is_town_office


@router.get("audit", response={200: list[AuditOut], **READ_ERRORS}, summary="审计日志")
def list_audit(request, filters: Query[AuditFilter]):
    user = request.auth
    if not may_read_audit(user):
        raise PermissionDenied("只有镇党建办和系统管理员可以查看审计日志。")
    logs = AuditLog.objects.visible_to(user).select_related("actor")
    if filters.since is not None:
        since = filters.since if timezone.is_aware(filters.since) else timezone.make_aware(filters.since)
        logs = logs.filter(at__gte=since)
    if filters.action:
        logs = logs.filter(action=filters.action)
    rows = logs.order_by("at", "pk")[: filters.limit]
    return [
        {
            "id": row.pk,
            "at": row.at,
            "user": row.actor.username if row.actor is not None else row.actor_label,
            "action": row.action,
            "action_label": row.action_label,
            "object": row.target_repr,
            "object_type": row.target_type,
            "object_id": row.target_id,
            "before": _side(row.changes, 0),
            "after": _side(row.changes, 1),
            "note": row.note,
        }
        for row in rows
    ]
