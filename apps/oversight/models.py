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


class AssessmentSource(models.TextChoices):
    """Where an assessment item's score (0–100) comes from."""

    ON_TIME = "on_time", "按时报送（截止或延期日期前报送）"
    QUOTA = "quota", "推荐人数不超过名额"
    QUORATE = "quorate", "党员大会达到法定人数"
    OBJECTIONS = "objections", "公示异议均已办结"
    RECTIFICATIONS = "rectifications", "整改事项按期销号"
    MANUAL = "manual", "人工评分"


class AssessmentItem(models.Model):
    """One item of the campaign's target assessment (目标考核): a weight and where its score comes from."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="assessment_items", verbose_name="示范行动")
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("考核项目", max_length=60)
    source = models.CharField("评分依据", max_length=20, choices=AssessmentSource.choices)
    weight = models.DecimalField("权重（分值）", max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = "考核项目"
        verbose_name_plural = "考核项目"
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "order"], name="assessment_item_order_once")]

    def __str__(self) -> str:
        return self.name


class ManualScoreQuerySet(ScopedQuerySet):
    scope_field = "org"


class ManualScore(models.Model):
    """The town's score (0–100) of one branch on one manual item."""

    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="manual_scores")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="党组织")
    score = models.DecimalField("得分（0–100）", max_digits=5, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    scored_at = models.DateTimeField(auto_now=True)

    objects = ManualScoreQuerySet.as_manager()

    class Meta:
        verbose_name = "人工评分"
        verbose_name_plural = "人工评分"
        constraints = [models.UniqueConstraint(fields=["item", "org"], name="manual_score_once")]

    def __str__(self) -> str:
        return f"{self.org} {self.item} {self.score}"


def unread_count(user) -> int:
    """How many of the user's reminders are unread: as read with the session (apps/oversight/apps.py), or counted."""
    count = getattr(user, "unread_notifications", None)
    return Notification.objects.for_user(user).unread().count() if count is None else count
