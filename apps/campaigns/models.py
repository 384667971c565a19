"""A campaign is one town's "共产党员示范行动" for one year: the plan's blanks, filled in, and its criteria."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from apps.core import clock
from apps.core.choices import ChoiceSet, coloured
from apps.core.querysets import ScopedQuerySet

from .quota import AT_LEAST_ONE, FLOOR, Quota, compute_quota


class Rounding(models.TextChoices):
    FLOOR = FLOOR, "向下取整（不超过）"
    AT_LEAST_ONE = AT_LEAST_ONE, "向下取整，但每支部至少 1 名"


class DayKind(models.TextChoices):
    NATURAL = "natural", "自然日"
    WORKING = "working", "工作日"


@coloured(DRAFT="blue", ACTIVE="green", CLOSED="grey")
class CampaignStatus(ChoiceSet):
    DRAFT = "draft", "筹备中"
    ACTIVE = "active", "进行中"
    CLOSED = "closed", "已结束"


class Target(models.TextChoices):
    POST = "post", "共产党员示范岗"
    VILLAGE = "village", "共产党员示范村"


class CampaignQuerySet(ScopedQuerySet):
    scope_field = "town"
    scope_axis = "towns"

    def current_for(self, user) -> Campaign | None:
        """The campaign the user works on now: this year's in its town, else the latest."""
        qs = self.visible_to(user).select_related("town")
        year = clock.today().year
        return qs.filter(year=year).order_by("town__path").first() or qs.order_by("-year", "town__path").first()


class Campaign(models.Model):
    """One town's action for one year. Every blank of the plan (XXX, X%, XX月XX日) is a field here."""

    town = models.ForeignKey("orgs.Organization", verbose_name="镇党委", on_delete=models.PROTECT, related_name="campaigns")
    year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField("名称", max_length=100, default="共产党员示范行动")
    county_name = models.CharField("县（区）名称", max_length=40)
    status = models.CharField("状态", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE)
    post_quota_percent = models.DecimalField(
        "示范岗比例（%）",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
        help_text="不超过支部正式党员数的百分比",
    )
    village_quota_percent = models.DecimalField(
        "示范村比例（%）",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
        help_text="不高于村党组织总数的百分比",
    )
    rounding = models.CharField("名额取整规则", max_length=20, choices=Rounding.choices, default=Rounding.FLOOR)
    admit_probationary = models.BooleanField("预备党员可参评示范岗", default=False)
    deadline = models.DateField("申报截止日期", help_text="申报表纸质版（盖公章）报至镇党建办的截止日期")
    notice_days = models.PositiveSmallIntegerField("公示天数", default=5, validators=[MinValueValidator(1), MaxValueValidator(30)])
    notice_day_kind = models.CharField("公示天数计算", max_length=16, choices=DayKind.choices, default=DayKind.WORKING)
    appraisal_year = models.PositiveSmallIntegerField("参考民主评议年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    quorum_percent = models.DecimalField(
        "党员大会有效到会比例（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(100))],
        help_text="到会有表决权党员须超过应到人数的该比例（默认超过半数）",
    )
    office_name = models.CharField("受理处室", max_length=60, default="镇党建办", help_text="如：镇党建办组织室")
    office_contact = models.CharField("联系人", max_length=40, blank=True)
    office_phone = models.CharField("联系电话", max_length=30, blank=True)
    notes = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = "示范行动"
        verbose_name_plural = "示范行动"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["town", "year"], name="campaign_one_per_town_year")]

    def __str__(self) -> str:
        return f"{self.town} {self.year}年{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign_detail", args=[self.pk])

    def post_quota(self, formal_members: int) -> Quota:
        return compute_quota(formal_members, self.post_quota_percent, self.rounding)

    def village_quota(self, village_orgs: int) -> Quota:
        # The "at least one" setting is per branch; the town's village quota is always "不高于" (floor).
        return compute_quota(village_orgs, self.village_quota_percent, FLOOR, base_label="村党组织", unit="个")

    def missing_blanks(self) -> list[str]:
        """Blanks of the plan still unfilled, as Chinese labels (shown on the home page)."""
        missing = []
        if not self.office_contact:
            missing.append("联系人")
        if not self.office_phone:
            missing.append("联系电话")
        if not self.criteria.filter(target=Target.POST).exists():
            missing.append("示范岗创建标准")
        if not self.criteria.filter(target=Target.VILLAGE).exists():
            missing.append("示范村创建标准")
        return missing


class Criterion(models.Model):
    """One creation standard (创建标准), seeded from the plan's §三 and editable per campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    target = models.CharField("对象", max_length=16, choices=Target.choices)
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("标题", max_length=60)
    text = models.TextField("内容")

    class Meta:
        verbose_name = "创建标准"
        verbose_name_plural = "创建标准"
        ordering = ["target", "order"]
        constraints = [models.UniqueConstraint(fields=["campaign", "target", "order"], name="criterion_unique_order")]

    def __str__(self) -> str:
        return f"（{self.order}）{self.title}"
