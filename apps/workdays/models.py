"""The editable holiday table: for years the calendar libraries don't know, or to correct them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DayOverride(models.Model):
    """One day whose kind differs from the weekday rule: a holiday on a weekday (休) or a working
    Saturday/Sunday (班, 调休). Entries here take precedence over the libraries."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("调休上班", default=False, help_text="勾选：该日为上班日（调休）；不勾选：该日放假")
    name = models.CharField("名称", max_length=40, help_text="如：国庆节、春节调休")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{'班' if self.is_workday else '休'}）"
