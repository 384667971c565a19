"""State changes of the holiday table (town office and administrators; everybody reads it)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from apps.audit.log import diff, record, snapshot
from apps.core.actions import ActionError, Conflict, refuse_unless

from .audit import WorkdaysAudit
from .models import DayOverride

FIELDS = ["date", "is_workday", "name"]


def may_edit_calendar(user) -> bool:
    return user.manages_town


def add_day_override_blockers(actor, date: dt.date) -> list[str]:
    existing = DayOverride.objects.filter(date=date).first()
    if existing is not None:
        return [f"{date:%Y年%m月%d日}已在节假日表中（{existing.name}），请先删除原条目。"]
    return []


@transaction.atomic
def add_day_override(actor, date: dt.date, is_workday: bool, name: str) -> DayOverride:
    """Enter one holiday on a weekday (休) or one adjusted working Saturday/Sunday (班)."""
    refuse_unless(may_edit_calendar(actor), "您无权修改节假日表。")
    name = (name or "").strip()
    if not name:
        raise ActionError({"name": ["请填写名称，如“国庆节”“春节调休”。"]})
    blockers = add_day_override_blockers(actor, date)
    if blockers:
        raise ActionError({"date": blockers})
    try:
        with transaction.atomic():
            day = DayOverride.objects.create(date=date, is_workday=is_workday, name=name, created_by=actor)
    except IntegrityError as exc:  # a concurrent entry of the same day
        raise ActionError({"date": ["该日期刚被他人录入，请刷新后查看。"]}) from exc
    record(actor, WorkdaysAudit.DAY_CREATE, day, changes=diff({}, snapshot(day, fields=FIELDS)), town=actor.town())
    return day


@transaction.atomic
def delete_day_override(actor, day: DayOverride) -> None:
    refuse_unless(may_edit_calendar(actor), "您无权修改节假日表。")
    day = DayOverride.objects.select_for_update().filter(pk=day.pk).first()
    if day is None:
        raise Conflict(["该条目已被删除。"])
    record(actor, WorkdaysAudit.DAY_DELETE, day, changes=diff(snapshot(day, fields=FIELDS), {}), town=actor.town())
    day.delete()
