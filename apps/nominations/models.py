"""The branch committee's proposal (组织推选), nominations and the town's review (党委审批), seed §四(二)2–3.

After the meeting, the 支委会 picks a subset of the recommended candidates within the quota, publicizes
it inside the branch and submits it to the town by the campaign deadline (unless the town office has
reopened the branch). Each nomination is then approved or returned by a holder of the approval right who
did not submit it; the approved ones form the 参评名单 reported to the county.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from apps.core.querysets import ScopedQuerySet

from .choices import Decision, NominationStatus


class ProposalQuerySet(ScopedQuerySet):
    scope_field = "org"

    def visible_to(self, user):
        # Proposals are the branches' and the town's working papers: the county sees only the 参评名单,
        # an inspector works on villages only.
        if getattr(user, "is_county_reviewer", False) or getattr(user, "is_inspector", False):
            return self.none()
        return super().visible_to(user)


class Proposal(models.Model):
    """The branch committee's (支委会) decision on whom the branch recommends."""

    meeting = models.OneToOneField("meetings.Meeting", on_delete=models.PROTECT, related_name="proposal")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="proposals")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="proposals", verbose_name="党组织")
    committee_date = models.DateField("支委会日期")
    committee_attendees = models.TextField("参会支委")
    opinion = models.TextField("支部意见")
    publicity_start = models.DateField("支部内公示开始")
    publicity_end = models.DateField("支部内公示结束")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "支部推荐（支委会）"
        verbose_name_plural = "支部推荐（支委会）"
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.org} 支部推荐"

    def get_absolute_url(self) -> str:
        return reverse("nominations:proposal_detail", args=[self.pk])


class NominationQuerySet(ScopedQuerySet):
    scope_field = "org"

    def visible_to(self, user):
        """The county reviewers see a nomination once the town has put it on the 参评名单 (it keeps its
        `listed_at` through 公示 and commendation); inspectors work on villages and see none."""
        if getattr(user, "is_inspector", False):
            return self.none()
        qs = super().visible_to(user)
        if getattr(user, "is_county_reviewer", False):
            qs = qs.filter(listed_at__isnull=False)
        return qs

    def active(self):
        """Nominations that count against the branch's quota (all but the withdrawn)."""
        return self.exclude(status=NominationStatus.WITHDRAWN)


class Nomination(models.Model):
    """One member nominated for a 示范岗 by its branch; follows the procedure to commendation."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="nominations")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="nominations", verbose_name="党组织")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="nominations")
    candidate = models.OneToOneField("meetings.Candidate", on_delete=models.PROTECT, related_name="nomination")
    member = models.ForeignKey("orgs.Member", on_delete=models.PROTECT, related_name="nominations", verbose_name="党员")
    status = models.CharField("状态", max_length=16, choices=NominationStatus.choices, default=NominationStatus.DRAFT)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    listed_at = models.DateTimeField("列入参评名单时间", null=True, blank=True)
    withdrawn_reason = models.TextField("撤销原因", blank=True)
    # Set at commendation (apps/commendations): the numbered 荣誉证书.
    certificate_no = models.CharField("证书编号", max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = "示范岗推荐对象"
        verbose_name_plural = "示范岗推荐对象"
        ordering = ["org__path", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "member"], name="nomination_once_per_campaign")]

    def __str__(self) -> str:
        return f"{self.member}（{self.org}）"


class Review(models.Model):
    """One decision of the town on a nomination (approve, or return with the reason)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField("审批意见", max_length=16, choices=Decision.choices)
    reason = models.TextField("理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "审批记录"
        verbose_name_plural = "审批记录"
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return self.get_decision_display()


class ReopeningQuerySet(ScopedQuerySet):
    scope_field = "org"

    def visible_to(self, user):
        if getattr(user, "is_county_reviewer", False) or getattr(user, "is_inspector", False):
            return self.none()
        return super().visible_to(user)


class Reopening(models.Model):
    """The town office lets a branch submit after the campaign deadline, until a date, for a reason."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="reopenings")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="党组织")
    until = models.DateField("延期至")
    reason = models.TextField("原因")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReopeningQuerySet.as_manager()

    class Meta:
        verbose_name = "延期报送"
        verbose_name_plural = "延期报送"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.org} 延期至 {self.until:%Y-%m-%d}"
