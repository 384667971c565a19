"""Writing audit rows. Called from inside the action's transaction so the row and the change commit together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models

from apps.core.numbers import plain

from .models import AuditLog, shown
from .registry import is_registered

# Fields whose values are masked in the log: the log shows that they changed, not their content.
MASKED_FIELDS = {"id_number", "phone"}


def _display(instance: models.Model, field: models.Field) -> Any:
    value = getattr(instance, field.attname)
    if value is None or value == "":
        return ""
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return shown(value)
    if isinstance(field, models.ForeignKey):
        related = getattr(instance, field.name, None)
        return str(related) if related is not None else ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain(value)
    if field.name in MASKED_FIELDS:
        from apps.core.idcard import mask_id, mask_phone

        return mask_id(value) if field.name == "id_number" else mask_phone(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Field label → display value for the concrete fields of a model instance."""
    result = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or (fields is not None and field.name not in fields):
            continue
        if field.name in {"created_at", "updated_at", "path", "password", "last_login"}:
            continue
        result[str(field.verbose_name)] = _display(instance, field)
    return result


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k, ""), after.get(k, "")] for k in keys if before.get(k, "") != after.get(k, "")}


@dataclass(frozen=True)
class AnonymousActor:
    """Someone acting without an account: a voter with a ballot code, a member of the public filing an
    objection. The audit row records which kind of person acted, never who: no user, no IP address."""

    label: str
    is_authenticated = False


VOTER = AnonymousActor("匿名投票人")
PUBLIC = AnonymousActor("公众（未登录）")


def record(actor, action: str, target: models.Model | None = None, **fields) -> AuditLog:
    """Write one audit row now, inside the caller's transaction; `fields` are the keywords of `entry`."""
    row = entry(actor, action, target, **fields)
    row.save()
    return row


def entry(
    actor,
    action: str,
    target: models.Model | None = None,
    *,
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
    town=None,
    target_type: str = "",
    target_repr: str = "",
    ip: str | None = None,
) -> AuditLog:
    """An unsaved audit row, for actions that write thousands at once with AuditLog.objects.bulk_create.

    `actor` is a user, an AnonymousActor, or None for the system (a management command)."""
    if not is_registered(action):
        raise ValueError(f"audit action {action!r} is not declared in any app's audit.py")
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_repr = target_repr or str(target)[:200]
    label = ""
    if isinstance(actor, AnonymousActor):
        label, actor, ip = actor.label, None, None
    elif actor is not None and getattr(actor, "is_authenticated", False):
        label = f"{actor}（{actor.username}）"
    else:
        actor = None
    return AuditLog(
        actor=actor,
        actor_label=label or "系统",
        action=action,
        target_type=target_type,
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_repr=target_repr,
        town=town,
        changes=changes or {},
        note=note,
        ip=ip,
    )
