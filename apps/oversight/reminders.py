"""Reminders: who should be told what now. `due_reminders(today)` lists them; `send_reminders(today)` stores
the new ones as in-app notifications (and mails them when the setting REMINDERS_BY_EMAIL is on, through
Django's SMTP settings, to users with an address).

Each reminder has a key naming its object and state, unique per user, so running the command twice (or
every hour from cron) notifies nobody twice; a new state (a second return, a new deadline) is a new key.

Kinds:
- `deadline`: the submission deadline is within `DEADLINE_DAYS` days (or today) and the branch has not
  submitted: its secretaries, and the town office once per campaign (how many branches, which);
- `returned`: the town returned a nomination: the branch's secretaries;
- `objection`: an objection was filed and is open: the town office;
- `review`: nominations wait for the town's decision: the holders of the approval right;
- `rectification`: a rectification item is past its due date and open: the branch's secretaries;
- `step`: a step waits for someone: the secretary (meeting, attendance, proposal, submission; once per step),
  the town office (approved nominations to put on the 参评名单), the approval right (commendation after 公示).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from apps.accounts.models import Role, User
from apps.campaigns.models import Campaign, CampaignStatus
from apps.nominations.choices import Decision, NominationStatus
from apps.nominations.models import Nomination, Review
from apps.notices.choices import ObjectionStatus
from apps.notices.models import Objection

from .choices import NOT_SUBMITTED, Step
from .models import Notification, Rectification
from .progress import load_rows

DEADLINE_DAYS = 3
# Steps where the branch's secretary has the next move.
SECRETARY_STEPS = frozenset({Step.MEETING, Step.ATTENDANCE, Step.VOTED, Step.PROPOSED})


@dataclass(frozen=True)
class Reminder:
    user_id: int
    kind: str
    key: str
    title: str
    body: str = ""
    url: str = ""


def _d(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def due_reminders(today: dt.date) -> list[Reminder]:
    campaigns = list(Campaign.objects.filter(status=CampaignStatus.ACTIVE).select_related("town"))
    ids = [c.pk for c in campaigns]
    users = list(User.objects.filter(is_active=True, organization__isnull=False).only("pk", "role", "organization_id", "can_approve"))
    secretaries: dict[int, list[int]] = {}
    offices: dict[int, list[int]] = {}
    approvers: dict[int, list[int]] = {}
    for u in users:
        if u.role == Role.BRANCH_SECRETARY:
            secretaries.setdefault(u.organization_id, []).append(u.pk)
        if u.role == Role.TOWN_OFFICE:
            offices.setdefault(u.organization_id, []).append(u.pk)
        if u.may_approve:
            approvers.setdefault(u.organization_id, []).append(u.pk)
    out: list[Reminder] = []

    # The deadline is near and the branch has not submitted: its secretaries, and once per campaign the town office.
    late_by_campaign: dict[int, list] = {}
    rows_all = load_rows(None, campaigns, today, villages=False, cells=False)
    for row in rows_all:
        c = row.campaign
        days = (c.deadline - today).days
        if row.progress.step not in NOT_SUBMITTED or not 0 <= days <= DEADLINE_DAYS:
            continue
        late_by_campaign.setdefault(c.pk, []).append(row)
        key = f"deadline:{c.pk}:{row.org.pk}:{c.deadline.isoformat()}"
        title = f"{row.org.name}：示范岗申报将于 {_d(c.deadline)} 截止，尚未报送"
        body = f"当前环节：{row.progress.label}；下一步：{row.progress.next}。"
        url = reverse("oversight:board", args=[c.pk])
        for uid in secretaries.get(row.org.pk, []):
            out.append(Reminder(uid, "deadline", key, title, body, url))
    for c in campaigns:
        rows = late_by_campaign.get(c.pk)
        if not rows:
            continue
        names = "、".join(r.org.name for r in rows[:10]) + ("等" if len(rows) > 10 else "")
        url = reverse("oversight:board", args=[c.pk]) + "?status=not_submitted"
        title = f"示范岗申报将于 {_d(c.deadline)} 截止，{len(rows)} 个支部尚未报送"
        for uid in offices.get(c.town_id, []):
            out.append(Reminder(uid, "deadline", f"deadline-town:{c.pk}:{c.deadline.isoformat()}", title, names, url))

    # A step waiting for someone: the branch's secretary (the meeting, the proposal, the submission), the town
    # office (the 参评名单 of the approved), the approval right (the commendation once the notices have ended).
    for row in rows_all:
        c, p = row.campaign, row.progress
        url = reverse("oversight:board", args=[c.pk])
        if p.step in SECRETARY_STEPS:
            key = f"step:{c.pk}:{row.org.pk}:{p.step.value}"
            for uid in secretaries.get(row.org.pk, []):
                out.append(Reminder(uid, "step", key, f"{row.org.name}：{p.label}", f"下一步：{p.next}。", url))
    for c in campaigns:
        mine = [r for r in rows_all if r.campaign.pk == c.pk]
        approved = sorted(r.org.pk for r in mine if r.progress.step == Step.APPROVED)
        if approved:
            digest = hashlib.sha256(",".join(map(str, approved)).encode()).hexdigest()[:16]
            for uid in offices.get(c.town_id, []):
                out.append(
                    Reminder(
                        uid,
                        "step",
                        f"step-list:{c.pk}:{digest}",
                        f"{len(approved)} 个支部的推荐对象已审批同意，待报送参评名单",
                        "请报送县委组织部参评名单。",
                        reverse("nominations:county_list", args=[c.pk]),
                    )
                )
        if mine and any(r.progress.step == Step.NOTICED for r in mine) and not any(r.progress.step == Step.NOTICE for r in mine):
            for uid in approvers.get(c.town_id, []):
                out.append(
                    Reminder(
                        uid,
                        "step",
                        f"step-commend:{c.pk}",
                        "公示期已满，待作出表彰决定",
                        "异议办结后作出表彰决定。",
                        reverse("commendations:results", args=[c.pk]),
                    )
                )

    # A nomination was returned (the latest decision on it is a return, and it is still returned).
    returned = Nomination.objects.filter(campaign_id__in=ids, status=NominationStatus.RETURNED).select_related("member", "org", "proposal")
    last_return = dict(
        Review.objects.filter(nomination__in=returned, decision=Decision.RETURN)
        .order_by("decided_at", "pk")
        .values_list("nomination_id", "pk")
    )
    for n in returned:
        key = f"returned:{n.pk}:{last_return.get(n.pk, 0)}"
        url = n.proposal.get_absolute_url()
        for uid in secretaries.get(n.org_id, []):
            out.append(Reminder(uid, "returned", key, f"镇党委退回推荐对象：{n.member.name}", "请按退回理由修改后重新报送。", url))

    # Objections filed and not yet concluded.
    objections = Objection.objects.filter(notice__campaign_id__in=ids, status=ObjectionStatus.OPEN).select_related("notice__campaign")
    for o in objections:
        for uid in offices.get(o.notice.campaign.town_id, []):
            out.append(
                Reminder(
                    uid,
                    "objection",
                    f"objection:{o.pk}",
                    f"收到公示异议（{_d(o.received_on)}）",
                    "请调查核实并办结。",
                    o.get_absolute_url(),
                )
            )

    # Nominations waiting for the town's decision: one reminder per submission of each nomination.
    waiting = Nomination.objects.filter(campaign_id__in=ids, status=NominationStatus.SUBMITTED).select_related("member", "campaign", "org")
    for n in waiting:
        key = f"review:{n.pk}:{n.submitted_at.isoformat() if n.submitted_at else ''}"
        url = reverse("nominations:review", args=[n.campaign_id])
        for uid in approvers.get(n.campaign.town_id, []):
            if uid == n.submitted_by_id:
                continue  # who submitted may not decide
            out.append(Reminder(uid, "review", key[:120], f"待审批：{n.member.name}（{n.org}）", "请审批（同意或退回）。", url))

    # Rectification items past their due date.
    late = Rectification.objects.filter(Q(visit__campaign_id__in=ids), closed_on__isnull=True, due_on__lt=today).select_related(
        "visit__org"
    )
    for r in late:
        for uid in secretaries.get(r.visit.org_id, []):
            out.append(
                Reminder(
                    uid,
                    "rectification",
                    f"rectification:{r.pk}:{r.due_on.isoformat()}",
                    f"整改事项已逾期：{r.item[:40]}",
                    f"整改期限 {_d(r.due_on)}，请尽快整改并销号。",
                    r.visit.get_absolute_url(),
                )
            )
    return out


def send_reminders(today: dt.date) -> list[Notification]:
    """Store the reminders not yet sent; returns the new notifications (none on a second run)."""
    reminders = {(r.user_id, r.key): r for r in due_reminders(today)}
    with transaction.atomic():
        have = set(Notification.objects.filter(key__in={k for _, k in reminders}).values_list("user_id", "key"))
        new = [
            Notification(user_id=r.user_id, kind=r.kind, key=r.key, title=r.title[:200], body=r.body, url=r.url)
            for pair, r in reminders.items()
            if pair not in have
        ]
        Notification.objects.bulk_create(new, ignore_conflicts=True)
    if getattr(settings, "REMINDERS_BY_EMAIL", False) and new:
        emails = dict(User.objects.filter(pk__in={n.user_id for n in new}).exclude(email="").values_list("pk", "email"))
        for n in new:
            if n.user_id in emails:
                send_mail(n.title, n.body, None, [emails[n.user_id]], fail_silently=True)
    return new
