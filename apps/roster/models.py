"""An uploaded roster between its preview and its confirmation.

The uploaded file itself is never stored: only its name, size, SHA-256 and the normalized rows of the
preview (`payload`), which are dropped once the import is applied, cancelled, or a day old.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.core.actions import ActionError

from .bulk import gc_paused
from .choices import BatchStatus, ImportKind
from .plan import Plan, from_payload

PAYLOAD_LIFETIME = dt.timedelta(days=1)


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportBatchQuerySet:
        """An import belongs to the person who uploaded it."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(created_by=user)

    def purge_stale(self) -> int:
        """Drop the rows of previews nobody confirmed within a day."""
        return self.filter(status=BatchStatus.PREVIEW, created_at__lt=timezone.now() - PAYLOAD_LIFETIME).update(
            status=BatchStatus.EXPIRED, payload=None
        )


class ImportBatch(models.Model):
    """One upload: who, when, which file, what the preview found, and whether it was applied."""

    kind = models.CharField("导入内容", max_length=16, choices=ImportKind.choices, default=ImportKind.MEMBERS)
    status = models.CharField("状态", max_length=16, choices=BatchStatus.choices, default=BatchStatus.PREVIEW)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True, db_index=True)
    applied_at = models.DateTimeField("导入时间", null=True, blank=True)
    scope = models.ForeignKey(
        "orgs.Organization", verbose_name="导入范围", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField("文件名", max_length=200)
    file_size = models.PositiveIntegerField("文件大小", default=0)
    sha256 = models.CharField("SHA-256", max_length=64)
    counts = models.JSONField("统计", default=dict, blank=True)
    payload = models.JSONField("预览数据", null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}导入 {self.file_name}"

    @property
    def is_open(self) -> bool:
        return self.status == BatchStatus.PREVIEW and timezone.now() - self.created_at < PAYLOAD_LIFETIME

    def plan(self) -> Plan:
        """The previewed rows. Fetch batches with .defer("payload"): this reads the payload itself,
        with the collector paused (bulk.gc_paused) while tens of thousands of lists are decoded."""
        with gc_paused():
            payload = ImportBatch.objects.filter(pk=self.pk).values_list("payload", flat=True).get()
            if payload is None:  # applied, cancelled or expired since this batch was fetched
                raise ActionError("该导入已结束，预览数据已删除。请重新上传文件。")
            return from_payload(payload)
