"""Audit action codes of accounts."""

from django.db import models


class AccountAudit(models.TextChoices):
    USER_CREATE = "user.create", "新建账号"
    USER_UPDATE = "user.update", "修改账号"
    USER_PASSWORD = "user.password", "修改/重置密码"
    USER_LOGIN = "user.login", "登录"
    USER_LOGIN_FAILED = "user.login_failed", "登录失败"
