"""Audit action codes of the API."""

from django.db import models


class ApiAudit(models.TextChoices):
    TOKEN_CREATE = "api_token.create", "创建接口令牌"
    TOKEN_REVOKE = "api_token.revoke", "撤销接口令牌"
