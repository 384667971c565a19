"""What every thin view does: run a form's data through an action, then report and redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def apply_errors(form, exc: ValidationError) -> None:
    """Put an action's errors next to the right fields of the form (or on top of it)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def run_form(
    request,
    form,
    action: Callable[[dict[str, Any]], Any],
    *,
    success: str | Callable[[Any], str],
    redirect_to: str | Callable[[Any], str],
):
    """On a valid POST, call `action(form.cleaned_data)`; when it succeeds flash `success` and return the
    redirect to `redirect_to`; when a rule refuses, put the reasons on the form and return None, as for
    a GET or an invalid form: the caller then renders the page (with the form's errors).

    `success` and `redirect_to` may be functions of the action's result (e.g. the created object)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


def client_ip(request) -> str | None:
    """The client's address. Behind the reverse proxy of the deployment guide (BEHIND_PROXY=1, nginx
    appending $remote_addr to X-Forwarded-For) it is the last address of that header: the one the proxy
    itself saw, which a client can't forge; the earlier entries come from the client and are ignored."""
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
