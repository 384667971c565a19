"""The 公示 (seed §四(二)4): the 参评名单 posted for the notice length, and the objections filed during it.

A notice's period is computed by apps/workdays (natural or working days). Anyone may object during the
period, named or anonymously; the filer gets a tracking code (only its digest is stored). The town office
also records objections received by letter, phone or visit. Each objection is investigated (notes) and
concluded: upheld → the nomination is withdrawn; dismissed → it stays.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse

from apps.core import clock
from apps.core.querysets import ScopedQuerySet

from .choices import Channel, ObjectionStatus, Outcome


class NoticeQuerySet(ScopedQuerySet):
    scope_field = "campaign__town"
    scope_axis = "towns"


class Notice(models.Model):
    """One posted notice. `public_id` is the random part of its public URL."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="notices")
    public_id = models.CharField(max_length=32, unique=True)
    title = models.CharField("标题", max_length=120)
    start = models.DateField("公示开始")
    end = models.DateField("公示结束（含当日）")
    days = models.PositiveSmallIntegerField("公示天数")
    day_kind = models.CharField("天数计算", max_length=16)
    warnings = models.JSONField("提示", default=list, blank=True)
    nominations = models.ManyToManyField("nominations.Nomination", related_name="notices", verbose_name="公示对象")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["-start", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:notice_detail", args=[self.pk])

    def public_path(self) -> str:
        return reverse("notices:public_notice", args=[self.public_id])

    def objection_path(self) -> str:
        """The public page where anyone files an objection to this notice."""
        return reverse("notices:public_objection", args=[self.public_id])

    def is_running(self, today: dt.date | None = None) -> bool:
        today = today or clock.today()
        return self.start <= today <= self.end

    def has_ended(self, today: dt.date | None = None) -> bool:
        return (today or clock.today()) > self.end

    def phase(self, today: dt.date | None = None) -> str:
        """ "upcoming", "running" or "ended"."""
        today = today or clock.today()
        return "upcoming" if today < self.start else "running" if today <= self.end else "ended"

    def days_left(self, today: dt.date | None = None) -> int:
        """Calendar days from today to the end, the end day included (0 once it has ended)."""
        today = today or clock.today()
        return max((self.end - today).days + 1, 0)


class ObjectionQuerySet(ScopedQuerySet):
    scope_field = "notice__campaign__town"
    scope_axis = "towns"


class Objection(models.Model):
    """An objection (异议) to a notice, or to one nomination on it."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    nomination = models.ForeignKey(
        "nominations.Nomination", null=True, blank=True, on_delete=models.PROTECT, related_name="objections", verbose_name="所涉对象"
    )
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    text = models.TextField("反映内容")
    name = models.CharField("反映人姓名", max_length=40, blank=True)  # empty: anonymous
    contact = models.CharField("联系方式", max_length=60, blank=True)
    received_on = models.DateField("收到日期")
    tracking_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    outcome = models.CharField("结论", max_length=16, choices=Outcome.choices, blank=True)
    conclusion = models.TextField("核查结论", blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    concluded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"异议 {self.received_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("notices:objection_detail", args=[self.pk])


class InvestigationNote(models.Model):
    """A step of the investigation of an objection (调查核实记录)."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField("核实情况")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "核实记录"
        verbose_name_plural = "核实记录"
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"核实记录 {self.written_at:%Y-%m-%d}"
