from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.core.forms import FastSelect
from apps.core.rows import Row

from .chain import verify
from .memo import KeptBody
from .models import AuditLog
from .registry import all_actions


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="操作人", required=False)
    action = forms.ChoiceField(label="操作", required=False, widget=FastSelect)
    target = forms.CharField(label="对象", required=False)
    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "全部操作"), *[(code, f"{label}") for code, label in all_actions()]]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "截止日期不能早于起始日期。")
        return data


@require_GET
def audit_list(request):
    if not (request.user.is_admin_role or request.user.is_town_office):
        raise PermissionDenied

    def values() -> dict:
        logs = AuditLog.objects.visible_to(request.user)
        form = AuditFilterForm(request.GET or None)
        if form.is_valid():
            data = form.cleaned_data
            if data["actor"]:
                logs = logs.filter(actor_label__contains=data["actor"].strip())
            if data["action"]:
                logs = logs.filter(action=data["action"])
            if data["target"]:
                logs = logs.filter(target_repr__contains=data["target"].strip())
            if data["start"]:
                logs = logs.filter(at__date__gte=data["start"])
            if data["end"]:
                logs = logs.filter(at__date__lt=data["end"] + dt.timedelta(days=1))
        query = request.GET.copy()
        query.pop("page", None)
        page = Paginator(logs, 50).get_page(request.GET.get("page"))
        page.object_list = [_row(log) for log in page.object_list]
        return {"form": form, "page": page, "query": query.urlencode()}

    # The filters, the count and the page's rows, drawn while no audit row is added (any action adds one:
    # apps/audit/memo.KeptBody).
    return render(request, "audit/audit_list.html", {"body": KeptBody(request, "audit-list", values, request.GET.urlencode())})


def _row(log: AuditLog) -> Row:
    """One row of the log as plain values (the template reads dict keys far faster than model attributes,
    methods and the date filter, 50 rows a page); the same text as before."""
    empty = "（空）"
    return Row(
        pk=log.pk,
        action=log.action,
        at=timezone.localtime(log.at).strftime("%Y-%m-%d %H:%M:%S"),
        actor_label=log.actor_label,
        action_label=log.action_label,
        target_repr=log.target_repr,
        change_rows=[(label, before or empty, after or empty) for label, before, after in log.change_rows()],
        note=log.note,
    )


@require_GET
def audit_chain(request):
    """The hash chain checked row by row: intact, or where it breaks (the whole county's chain is one)."""
    if not (request.user.is_admin_role or request.user.is_town_office):
        raise PermissionDenied
    context = {"verdict": verify(), "retention_days": settings.AUDIT_RETENTION_DAYS}
    return render(request, "audit/audit_chain.html", context)
