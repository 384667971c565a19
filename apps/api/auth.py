"""Bearer-token authentication for /api/v1/: the request then acts as the token's user, with that user's
scope and role, exactly as in the web UI."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken, digest_of

# last_used_at is written at most this often per token, so a busy script doesn't write on every call.
TOUCH_EVERY = timedelta(minutes=5)


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        row = ApiToken.objects.live().select_related("user", "user__organization").filter(digest=digest_of(token)).first()
        if row is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user
