"""Accounts: one role per account and the organization that role acts for."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    TOWN_OFFICE = "town_office", "镇党建办"
    TOWN_APPROVER = "town_approver", "镇党委审批"
    BRANCH_SECRETARY = "branch_secretary", "支部书记"
    INSPECTOR = "inspector", "督查组成员"
    COUNTY_REVIEWER = "county_reviewer", "县委组织部"


# Which level of organization each role acts for.
ROLE_ORG_LEVEL = {
    Role.TOWN_OFFICE: ("town",),
    Role.TOWN_APPROVER: ("town",),
    Role.BRANCH_SECRETARY: ("branch", "general", "committee"),
    Role.INSPECTOR: ("town",),
    Role.COUNTY_REVIEWER: ("county",),
}


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A login. `organization` is the town for town roles and inspectors, the branch for a
    secretary, the county for a reviewer, and empty for an administrator."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.BRANCH_SECRETARY)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="所属党组织", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    display_name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    # A town office account may also hold the committee's approval right (SPEC §1).
    can_approve = models.BooleanField("兼任镇党委审批", default=False)
    # Set when someone else chose the password (a new account, a reset): the first login must replace it.
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    # When the password was last set (PASSWORD_MAX_AGE_DAYS, when a deployment turns periodic change on).
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    objects = AccountManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def password_expired(self) -> bool:
        days = settings.PASSWORD_MAX_AGE_DAYS
        if not days or self.password_changed_at is None:
            return False
        return timezone.now() - self.password_changed_at > timedelta(days=days)

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_town_office(self) -> bool:
        return self.role == Role.TOWN_OFFICE

    @property
    def is_branch_secretary(self) -> bool:
        return self.role == Role.BRANCH_SECRETARY

    @property
    def is_county_reviewer(self) -> bool:
        return self.role == Role.COUNTY_REVIEWER

    @property
    def is_inspector(self) -> bool:
        return self.role == Role.INSPECTOR

    @property
    def may_approve(self) -> bool:
        return self.role == Role.TOWN_APPROVER or (self.role == Role.TOWN_OFFICE and self.can_approve)

    @property
    def manages_members(self) -> bool:
        """May create/edit members and appraisals (within its scope)."""
        return self.is_admin_role or self.role in (Role.TOWN_OFFICE, Role.BRANCH_SECRETARY)

    @property
    def manages_town(self) -> bool:
        """May edit the town's campaign, organizations and accounts."""
        return self.is_admin_role or self.role == Role.TOWN_OFFICE

    def town(self):
        return self.organization.town() if self.organization_id else None

    @cached_property
    def scope(self):
        """What this user may see (apps/accounts/scope.py); computed once per user object."""
        from .scope import compute_scope

        return compute_scope(self)


class UserSession(AbstractBaseSession):
    """A login session (SESSION_ENGINE "apps.accounts.sessions"), with the signed-in user as a column: every
    signed-in request reads its session and its user in one query, and a user's sessions are found without
    decoding every session.

    The column is written from the session's data each time the session is saved. It has no database
    constraint: a session saved after its user was deleted must not fail; it finds no user and signs nobody in."""

    user = models.ForeignKey(User, null=True, on_delete=models.CASCADE, db_constraint=False, related_name="+", verbose_name="用户")

    class Meta(AbstractBaseSession.Meta):
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
