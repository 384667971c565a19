"""API tokens: one user may hold several; only a SHA-256 digest of each is stored (the token is shown once)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from apps.core.choices import ChoiceSet, coloured

TOKEN_PREFIX = "sfxd_"


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """256 bits of randomness, with a recognisable prefix so that a leaked token is easy to spot."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@coloured(LIVE="green", EXPIRED="grey", REVOKED="orange")
class TokenStatus(ChoiceSet):
    LIVE = "live", "有效"
    EXPIRED = "expired", "已过期"
    REVOKED = "revoked", "已撤销"


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=60)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField("令牌尾号", max_length=8)  # the last characters, to tell tokens apart on the page
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（…{self.hint}）"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        return TokenStatus.LIVE if self.expires_at > timezone.now() else TokenStatus.EXPIRED
