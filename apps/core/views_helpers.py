"""Small helpers shared by views: scoped fetch, applying an action's errors to a form, client IP."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404


def visible_or_404(queryset, user, **lookup):
    """Fetch one object through the model's visible_to(user); anything else is a 404."""
    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        raise Http404("未找到该记录，或您无权查看。")
    return obj


def apply_errors(form, exc: ValidationError) -> None:
    """Put an action's errors next to the right fields of the form (or on top of it)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")
