"""A login ends after SESSION_IDLE_TIMEOUT without a request, and SESSION_COOKIE_AGE after it began;
a password someone else chose is replaced at the first login before anything else can be done, and so is
one older than PASSWORD_MAX_AGE_DAYS when a deployment sets it."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from apps.audit import ahead
from apps.audit.memo import read_only

from .sessions import reading

# The last-seen time is written at most this often, so that a busy page doesn't save the session every request.
TOUCH_EVERY = 30


class SignedInUserMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, handing `auth.get_user` the user the session read with itself
    (apps/accounts/sessions.py): one database read less per signed-in request, with every check Django makes."""

    def process_request(self, request):
        super().process_request(request)  # its checks, and request.auser
        # Read at once, not behind Django's lazy proxy: the next middleware asks for it on every request anyway
        # (SessionTimeoutMiddleware), and every attribute read through the proxy raised and caught an AttributeError,
        # ~1.5 µs each, ~70 a page of the member list.
        # A read-only request's kept values are read with the session (apps/audit/ahead.py); none for one that may
        # change something (apps.audit.memo.read_only).
        request.session.kept_page = ahead.page_of(request) if read_only(request) else None
        token = reading.set(request.session)
        try:
            request.user = auth.get_user(request)
        finally:
            reading.reset(token)


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("_login_at", now)
            last = session.get("_seen_at", now)
            if now - last > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, "您已长时间未操作，为保护数据安全已自动退出，请重新登录。")
                return redirect_to_login(request.get_full_path())
            if now - last >= TOUCH_EVERY or "_seen_at" not in session:
                session["_seen_at"] = now
            if user.must_change_password and request.path not in _password_paths(user):
                messages.info(request, "该账号的密码由他人设置，请先修改为只有您知道的密码。")
                return redirect("accounts:password_reset", pk=user.pk)
            if user.password_expired and request.path not in _password_paths(user):
                messages.info(request, f"密码已使用超过 {settings.PASSWORD_MAX_AGE_DAYS} 天，请修改密码。")
                return redirect("accounts:password_reset", pk=user.pk)
        return self.get_response(request)


def _password_paths(user) -> set[str]:
    return {reverse("accounts:password_reset", args=[user.pk]), reverse("accounts:logout")}
