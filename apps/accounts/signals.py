"""Logins and failed logins go to the audit log (a government system is asked who came in when)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from apps.audit.log import record
from apps.core.views_helpers import client_ip

from .audit import AccountAudit


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record(user, AccountAudit.USER_LOGIN, user, town=user.town(), ip=client_ip(request) if request else None)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:80]
    record(
        None,
        AccountAudit.USER_LOGIN_FAILED,
        target_type="accounts.user",
        target_repr=username,
        ip=client_ip(request) if request else None,
    )
