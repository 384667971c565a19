"""Party organizations (a tree county → town → branch), members and their yearly appraisals."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from apps.core import clock
from apps.core.idcard import mask_id, mask_phone
from apps.core.querysets import ScopedQuerySet

from .choices import Category, Education, Gender, Grade, MemberStatus, OrgKind, OrgLevel

PATH_STEP = 7  # digits per level in Organization.path; 9,999,999 organizations is plenty


class OrganizationQuerySet(ScopedQuerySet):
    scope_field = ""  # an organization is seen where its own path is in the scope

    def villages(self) -> OrganizationQuerySet:
        return self.filter(kind=OrgKind.VILLAGE, level__in=[OrgLevel.BRANCH, OrgLevel.GENERAL_BRANCH, OrgLevel.PARTY_COMMITTEE])

    def basic(self) -> OrganizationQuerySet:
        """Organizations below town level (the ones that hold members)."""
        return self.exclude(level__in=[OrgLevel.COUNTY, OrgLevel.TOWN])


class Organization(models.Model):
    """A party organization. `path` is a materialized path so a whole subtree is one indexed prefix query."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    level = models.CharField("层级", max_length=16, choices=OrgLevel.choices, default=OrgLevel.BRANCH)
    kind = models.CharField("类别", max_length=16, choices=OrgKind.choices, default=OrgKind.OTHER)
    parent = models.ForeignKey("self", verbose_name="上级党组织", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sort_order = models.PositiveIntegerField("排序", default=0)
    secretary_name = models.CharField("书记", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("有效", default=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        path = self.compute_path()
        if path != self.path:
            self.path = path
            type(self).objects.filter(pk=self.pk).update(path=path)

    def get_absolute_url(self) -> str:
        return reverse("orgs:org_detail", args=[self.pk])

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.pk:0{PATH_STEP}d}."

    @property
    def depth(self) -> int:
        return self.path.count(".") - 1

    @property
    def is_village(self) -> bool:
        return self.kind == OrgKind.VILLAGE and self.level not in (OrgLevel.COUNTY, OrgLevel.TOWN)

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip(".").split(".") if p]

    def town(self) -> Organization | None:
        """The 镇党委 this organization belongs to (itself if it is one)."""
        if self.level == OrgLevel.TOWN:
            return self
        return Organization.objects.filter(pk__in=self.ancestor_ids(), level=OrgLevel.TOWN).first()

    def subtree(self) -> OrganizationQuerySet:
        return Organization.objects.filter(path__startswith=self.path)


class MemberQuerySet(ScopedQuerySet):
    scope_field = "branch"
    scope_axis = "members"

    def active(self) -> MemberQuerySet:
        return self.filter(status=MemberStatus.ACTIVE)

    def formal(self) -> MemberQuerySet:
        """Members that count towards quotas and vote: 正式党员 with status 在册."""
        return self.filter(status=MemberStatus.ACTIVE, category=Category.FORMAL)

    def under(self, org: Organization) -> MemberQuerySet:
        """The members of org and of every organization below it. A subquery on the organizations' paths, as
        visible_to builds it, not a join: joined, SQLite walks every member of the status and category asked
        for (9 ms for one branch of a county) instead of the branches' members by the foreign key's index."""
        return self.filter(branch__in=org.subtree().values("pk"))


class Member(models.Model):
    """A party member (党员). The ID number is unique among active members only: a member
    transferred out of one town may be on another town's roster."""

    name = models.CharField("姓名", max_length=40)
    gender = models.CharField("性别", max_length=2, choices=Gender.choices)
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    birth_date = models.DateField("出生日期")
    id_number = models.CharField("公民身份号码", max_length=18, db_index=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    education = models.CharField("学历", max_length=20, choices=Education.choices, blank=True)
    category = models.CharField("人员类别", max_length=16, choices=Category.choices, default=Category.FORMAL)
    joined_on = models.DateField("入党日期", null=True, blank=True)
    confirmed_on = models.DateField("转正日期", null=True, blank=True)
    branch = models.ForeignKey(Organization, verbose_name="所在党支部", on_delete=models.PROTECT, related_name="members")
    post = models.CharField("工作岗位/职务", max_length=100, blank=True)
    status = models.CharField("状态", max_length=16, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    sanction_start = models.DateField("处分期开始", null=True, blank=True)
    sanction_end = models.DateField("处分期结束", null=True, blank=True)
    sanction_note = models.CharField("处分说明", max_length=200, blank=True)
    status_changed_on = models.DateField("状态变更日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        ordering = ["branch__path", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["id_number"], condition=Q(status="active"), name="member_unique_active_id_number"),
        ]
        indexes = [
            models.Index(fields=["branch", "status", "category"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:member_detail", args=[self.pk])

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def in_sanction_period(self, on: dt.date | None = None) -> bool:
        return in_sanction_period(self.sanction_start, self.sanction_end, on or clock.today())


class AppraisalQuerySet(ScopedQuerySet):
    scope_field = "member__branch"
    scope_axis = "members"


class Appraisal(models.Model):
    """One member's 民主评议党员 grade for one year."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="appraisals", verbose_name="党员")
    year = models.PositiveSmallIntegerField("年度")
    grade = models.CharField("评议等次", max_length=16, choices=Grade.choices)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    objects = AppraisalQuerySet.as_manager()

    class Meta:
        verbose_name = "民主评议结果"
        verbose_name_plural = "民主评议结果"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="appraisal_one_per_member_year")]

    def __str__(self) -> str:
        return f"{self.member} {self.year} {self.get_grade_display()}"


def in_sanction_period(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    """Within a 处分 period on `on`: it has begun and not ended (no end: still running)."""
    return start is not None and start <= on and (end is None or on <= end)
