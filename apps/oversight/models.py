"""Supervision visits (督促检查) of a branch during a campaign, and the rectification items (整改) they raise.

An item is open until closed with the evidence of what was done (text) and the closing date; open items
appear on the progress board beside the branch's step, overdue ones (past their due date) in red.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from apps.core.querysets import ScopedQuerySet


class VisitQuerySet(ScopedQuerySet):
    scope_field = "org"


class SupervisionVisit(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="visits", verbose_name="示范行动")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="visits", verbose_name="党组织")
    date = models.DateField("检查日期")
    inspectors = models.CharField("检查人员", max_length=200)
    findings = models.TextField("发现的问题")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = "督促检查"
        verbose_name_plural = "督促检查"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.org} {self.date:%Y-%m-%d} 督促检查"

    def get_absolute_url(self) -> str:
        return reverse("oversight:visit_detail", args=[self.pk])


class RectificationQuerySet(ScopedQuerySet):
    scope_field = "visit__org"

    def open(self):
        return self.filter(closed_on__isnull=True)


class Rectification(models.Model):
    visit = models.ForeignKey(SupervisionVisit, on_delete=models.CASCADE, related_name="items", verbose_name="督促检查")
    item = models.TextField("整改事项")
    owner = models.CharField("责任人", max_length=40)
    due_on = models.DateField("整改期限")
    evidence = models.TextField("整改情况（销号依据）", blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.item[:30]

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One in-app reminder for one user. `key` names what it is about (the reminder's kind and object and,
    where it matters, the state), unique per user: producing the same reminder twice adds nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("类别", max_length=20)
    key = models.CharField(max_length=120)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_user_key")]

    def __str__(self) -> str:
        return self.title
