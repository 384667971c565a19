"""The member list's filters (same query string as /members/), applied for the export."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from apps.orgs.forms import MemberFilterForm
from apps.orgs.models import Member


def filtered_members(user, params) -> tuple[QuerySet[Member], str]:
    """The members the list page shows for these parameters, and a description for the file and the log."""
    form = MemberFilterForm(params or None, user=user)
    members = Member.objects.visible_to(user)
    parts = []
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            members = members.filter(name__contains=data["q"].strip())
            parts.append(f"姓名含“{data['q'].strip()}”")
        if data.get("branch"):
            members = members.filter(branch__path__startswith=data["branch"].path)
            parts.append(str(data["branch"]))
        for name in ("category", "status"):
            if data.get(name):
                members = members.filter(**{name: data[name]})
                parts.append(dict(form.fields[name].choices)[data[name]])
        if data.get("appraisal"):
            year = data.get("year") or dt.date.today().year - 1
            if data["appraisal"] == "missing":
                members = members.exclude(appraisals__year=year)
            else:
                members = members.filter(appraisals__year=year, appraisals__grade=data["appraisal"])
            parts.append(f"{year}年度评议{dict(form.fields['appraisal'].choices)[data['appraisal']]}")
    return members, "党员名册" + (f"（{'，'.join(parts)}）" if parts else "")
