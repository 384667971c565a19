"""The audit log: one row per create, update or state change, written by the action that made it."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.scope import scope_of


class AuditQuerySet(models.QuerySet):
    def visible_to(self, user) -> AuditQuerySet:
        """Administrators see all; a town office sees its town's log; nobody else browses it."""
        scope = scope_of(user)
        if scope.everything:
            return self
        if getattr(user, "is_town_office", False) and scope.town_ids:
            return self.filter(Q(town_id__in=scope.town_ids))
        return self.none()

    def bulk_create(self, objs, *args, **kwargs):
        """Rows written in bulk are linked into the chain in the same pass, in the caller's transaction."""
        from .chain import link

        objs = list(objs)
        with transaction.atomic():
            link(objs)
            return super().bulk_create(objs, *args, **kwargs)


class ReadOnlyAuditRow(Exception):
    """Audit rows are written once and never changed or deleted by the system."""


class AuditLog(models.Model):
    """Who did what to which object, when, with the fields' values before → after."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=80, blank=True)
    action = models.CharField("操作", max_length=60, db_index=True)
    target_type = models.CharField("对象类型", max_length=60, db_index=True)
    target_id = models.CharField("对象编号", max_length=40, blank=True)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    town = models.ForeignKey("orgs.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changes = models.JSONField("变更", default=dict, blank=True)
    note = models.TextField("说明", blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    # The hash chain (chain.py): position, the previous row's hash, this row's hash.
    seq = models.PositiveBigIntegerField("序号", null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField("前序哈希", max_length=64, blank=True, editable=False)
    row_hash = models.CharField("哈希", max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["town", "-at"]), models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ReadOnlyAuditRow("审计日志一经写入不可修改。")
        from .chain import link

        # No savepoint: a failed audit row must roll back the state change it records anyway.
        with transaction.atomic(savepoint=False):
            link([self])
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReadOnlyAuditRow("审计日志不可删除。")

    @property
    def action_label(self) -> str:
        from .registry import action_label

        return action_label(self.action)

    def change_rows(self) -> list[tuple[str, object, object]]:
        return [(label, shown(pair[0]), shown(pair[1])) for label, pair in (self.changes or {}).items()]


def shown(value: object) -> object:
    """A yes/no value as the log shows it, 是/否: never Python's True/False on a page, nor False as （空）. Used
    when a row is written (log.py) and when it is read (rows written before held JSON booleans)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


class AuditChainHead(models.Model):
    """The one row (pk=1) holding the newest link of the chain; writers lock it to append in turn."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"第 {self.seq} 条 {self.hash[:12]}"
