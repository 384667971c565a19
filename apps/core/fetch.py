"""Fetching one object for a user: 404 outside the user's scope, 403 when the role may not act on it."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404

NOT_FOUND = "未找到该记录，或您无权查看。"


def fetch(user, queryset, *, may: Callable[[object], bool] | None = None, denied: str = "您没有执行此操作的权限。", **lookup):
    """One query through `visible_to(user)`: the object, or Http404; then `may(user)` or PermissionDenied.

    `queryset` is a manager or queryset of a model whose queryset is a ScopedQuerySet.
    The scope comes first, so a role that may not act still gets a 404 for an object it can't see."""
    qs = queryset.all() if hasattr(queryset, "get_queryset") else queryset
    return checked(qs.visible_to(user).filter(**lookup).first(), user, may=may, denied=denied)


def checked(obj, user, *, may: Callable[[object], bool] | None = None, denied: str = "您没有执行此操作的权限。"):
    """`obj` as read through the user's scope (None: not there, or not theirs): Http404, PermissionDenied or obj."""
    if obj is None:
        raise Http404(NOT_FOUND)
    if may is not None and not may(user):
        raise PermissionDenied(denied)
    return obj
