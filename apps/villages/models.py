"""共产党员示范村 (seed §四(一)(2)): the town designates candidate villages within the village quota, forms the
党建调研督查组, the group inspects each village against the five standards (findings, scores, evidence), the
考察报告 is finalized, the town reports the recommended villages to the county, the county decides and
records the plaque (授牌)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from apps.core.querysets import ScopedQuerySet

from .choices import REPORTED_STATUSES, Conclusion, FollowUpOutcome, ReviewConclusion, VillageStatus

DEFAULT_MAX_SCORE = 20


class VillageScale(models.Model):
    """The campaign's scoring scale of the inspection: each standard is scored 0..max_score."""

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, related_name="village_scale")
    max_score = models.PositiveSmallIntegerField(
        "每项标准满分", default=DEFAULT_MAX_SCORE, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )

    class Meta:
        verbose_name = "示范村评分标准"
        verbose_name_plural = "示范村评分标准"

    def __str__(self) -> str:
        return f"每项满分 {self.max_score} 分"


def max_score(campaign) -> int:
    scale = VillageScale.objects.filter(campaign=campaign).first()
    return scale.max_score if scale else DEFAULT_MAX_SCORE


class GroupQuerySet(ScopedQuerySet):
    scope_field = "campaign__town"
    scope_axis = "towns"

    def visible_to(self, user):
        qs = super().visible_to(user)
        if getattr(user, "is_inspector", False):
            qs = qs.filter(Q(leader=user) | Q(members=user)).distinct()
        elif getattr(user, "is_branch_secretary", False) or getattr(user, "is_county_reviewer", False):
            qs = qs.none()
        return qs


class InspectionGroup(models.Model):
    """The campaign's 党建调研督查组: a leader and members (inspector accounts) and the villages it inspects."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="inspection_groups")
    name = models.CharField("督查组名称", max_length=60)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_inspection_groups", verbose_name="组长"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="inspection_groups", verbose_name="成员", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = "党建调研督查组"
        verbose_name_plural = "党建调研督查组"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def includes(self, user) -> bool:
        return user.pk == self.leader_id or self.members.filter(pk=user.pk).exists()


class CandidateQuerySet(ScopedQuerySet):
    scope_field = "org"

    def visible_to(self, user):
        """Inspectors see only the villages assigned to their group; the town, the county and the village's
        own branch see the candidates of their organizations (the county decides only reported ones and
        sees their evidence only once reported)."""
        qs = super().visible_to(user)
        if getattr(user, "is_inspector", False):
            qs = qs.filter(Q(group__leader=user) | Q(group__members=user)).distinct()
        return qs


class VillageCandidate(models.Model):
    """One village party organization designated as a candidate 示范村 of a campaign."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="village_candidates")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="village_candidacies", verbose_name="村党组织")
    status = models.CharField("状态", max_length=16, choices=VillageStatus.choices, default=VillageStatus.DESIGNATED)
    group = models.ForeignKey(
        InspectionGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates", verbose_name="督查组"
    )
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    designated_at = models.DateTimeField(auto_now_add=True)
    reported_at = models.DateTimeField("报送县委组织部时间", null=True, blank=True)
    # The county's decision (审定) and the plaque (授牌).
    decision_date = models.DateField("审定日期", null=True, blank=True)
    decision_note = models.TextField("审定意见", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    plaque_no = models.CharField("牌匾编号", max_length=40, blank=True)
    plaque_date = models.DateField("授牌日期", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = "示范村候选村"
        verbose_name_plural = "示范村候选村"
        ordering = ["org__path", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "org"], name="village_candidate_once_per_campaign")]

    def __str__(self) -> str:
        return f"{self.org}（示范村候选）"

    def get_absolute_url(self) -> str:
        return reverse("villages:candidate_detail", args=[self.pk])

    @property
    def inspection_or_none(self):
        return Inspection.objects.filter(candidate=self).first()


class Inspection(models.Model):
    """The group's inspection of one village; a draft until finalized once (then read-only)."""

    candidate = models.OneToOneField(VillageCandidate, on_delete=models.CASCADE, related_name="inspection")
    visit_dates = models.JSONField("考察日期", default=list)  # ISO dates
    people_met = models.TextField("座谈走访对象", blank=True)
    conclusion = models.CharField("考察结论", max_length=16, choices=Conclusion.choices, blank=True)
    signatures = models.TextField("考察组成员签名", blank=True, help_text="每行一人：姓名 日期")
    report_text = models.TextField("考察报告正文", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    finalized_at = models.DateTimeField("定稿时间", null=True, blank=True)
    finalized_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "示范村考察"
        verbose_name_plural = "示范村考察"

    def __str__(self) -> str:
        return f"{self.candidate.org} 考察"


class Finding(models.Model):
    """Findings and score against one village standard (创建标准)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    criterion = models.ForeignKey("campaigns.Criterion", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("考察情况")
    score = models.DecimalField("得分", max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal(0))])

    class Meta:
        verbose_name = "考察情况"
        verbose_name_plural = "考察情况"
        ordering = ["criterion__order"]
        constraints = [models.UniqueConstraint(fields=["inspection", "criterion"], name="finding_once_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}：{self.score}"


def evidence_name(instance, filename: str) -> str:
    """A generated name: nothing of the uploaded file's name reaches the storage."""
    ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"village-evidence/{instance.candidate.campaign_id}/{uuid.uuid4().hex}.{ext}"


class EvidenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        qs = self.filter(candidate__in=VillageCandidate.objects.visible_to(user).values("pk"))
        if getattr(user, "is_county_reviewer", False):
            qs = qs.filter(candidate__status__in=REPORTED_STATUSES)
        return qs


class Evidence(models.Model):
    """A photo, PDF or scan supporting an inspection, checked by content and stored under a generated name."""

    candidate = models.ForeignKey(VillageCandidate, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField("文件", upload_to=evidence_name, max_length=200)
    name = models.CharField("原文件名", max_length=120)
    content_type = models.CharField("类型", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "考察佐证材料"
        verbose_name_plural = "考察佐证材料"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("villages:evidence_download", args=[self.pk])


class Revocation(models.Model):
    """摘牌: an awarded plaque (a 示范村's, or a 示范岗's numbered certificate) withdrawn after a later review."""

    village = models.OneToOneField(VillageCandidate, null=True, blank=True, on_delete=models.PROTECT, related_name="revocation")
    nomination = models.OneToOneField(
        "nominations.Nomination", null=True, blank=True, on_delete=models.PROTECT, related_name="plaque_revocation"
    )
    date = models.DateField("摘牌日期")
    reason = models.TextField("摘牌原因")
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "摘牌记录"
        verbose_name_plural = "摘牌记录"
        constraints = [
            models.CheckConstraint(
                condition=Q(village__isnull=False, nomination__isnull=True) | Q(village__isnull=True, nomination__isnull=False),
                name="revocation_of_one_plaque",
            )
        ]

    def __str__(self) -> str:
        return f"摘牌 {self.date:%Y-%m-%d}"


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The reviews of the plaques the user sees (a 示范村's through the village, a 示范岗's through the nomination)."""
        from apps.nominations.models import Nomination

        return self.filter(
            Q(village__in=VillageCandidate.objects.visible_to(user).values("pk"))
            | Q(nomination__in=Nomination.objects.visible_to(user).values("pk"))
        )


class PlaqueReview(models.Model):
    """A yearly re-review (年度复核) of an awarded plaque, in a year later than the award, at most one per year.

    限期整改 sets a due date; its follow-up conclusion comes later (rectified: kept; not: 摘牌). A 摘牌, here or
    in the follow-up, is the registry's one revocation action (`revocation` points at its record)."""

    village = models.ForeignKey(VillageCandidate, null=True, blank=True, on_delete=models.PROTECT, related_name="plaque_reviews")
    nomination = models.ForeignKey("nominations.Nomination", null=True, blank=True, on_delete=models.PROTECT, related_name="plaque_reviews")
    year = models.PositiveSmallIntegerField("复查年度")
    date = models.DateField("复查日期")
    reviewers = models.CharField("复查人员", max_length=200)
    findings = models.TextField("复查情况")
    conclusion = models.CharField("复查结论", max_length=16, choices=ReviewConclusion.choices)
    due_date = models.DateField("整改期限", null=True, blank=True)
    follow_up = models.CharField("整改复查结论", max_length=16, choices=FollowUpOutcome.choices, blank=True)
    follow_up_date = models.DateField("整改复查日期", null=True, blank=True)
    follow_up_note = models.TextField("整改情况", blank=True)
    follow_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revocation = models.OneToOneField(Revocation, null=True, blank=True, on_delete=models.PROTECT, related_name="review")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "牌匾年度复查"
        verbose_name_plural = "牌匾年度复查"
        ordering = ["year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(village__isnull=False, nomination__isnull=True) | Q(village__isnull=True, nomination__isnull=False),
                name="plaque_review_of_one_plaque",
            ),
            models.UniqueConstraint(fields=["village", "year"], name="village_plaque_review_once_a_year"),
            models.UniqueConstraint(fields=["nomination", "year"], name="post_plaque_review_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度复查：{self.get_conclusion_display()}"

    def get_absolute_url(self) -> str:
        if self.village_id:
            return reverse("villages:plaque_village", args=[self.village_id])
        return reverse("villages:plaque_post", args=[self.nomination_id])

    @property
    def awaiting_follow_up(self) -> bool:
        return self.conclusion == ReviewConclusion.RECTIFY and not self.follow_up


class SelfAssessmentQuerySet(ScopedQuerySet):
    scope_field = "org"

    def visible_to(self, user):
        if getattr(user, "is_inspector", False):
            # Inspectors read the self-assessment of the villages of their group only.
            groups = VillageCandidate.objects.visible_to(user).values("org_id")
            return super().visible_to(user).filter(org_id__in=groups)
        return super().visible_to(user)


class SelfAssessment(models.Model):
    """A village branch's own account against the five standards (自评), submitted before or after designation."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="village_self_assessments")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="村党组织")
    items = models.JSONField("对照标准自评", default=list)  # [{"order": 1, "text": "..."}]
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now=True)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "示范村自评"
        verbose_name_plural = "示范村自评"
        constraints = [models.UniqueConstraint(fields=["campaign", "org"], name="self_assessment_once_per_campaign")]

    def __str__(self) -> str:
        return f"{self.org} 自评"
