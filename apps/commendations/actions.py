"""The commendation decision (表彰决定, SPEC §3 step 5).

Only a holder of the approval right (`user.may_approve`) decides, and only when every notice period of
the campaign has ended and every objection is concluded; the 参评名单 must have been posted. The decision
(文号 and date) commends every nomination still `listed` (withdrawn ones are left out): each becomes
`commended` and gets a certificate number.

Certificate numbers: "<town>-<year>-<seq:03d>", e.g. "东岭镇-2026-001": the town's short name (the
organization's name without "中共" and "委员会"), the campaign year, and a sequence in the order of the
list (branch, then nomination), unique within a campaign because a campaign has one decision.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from apps.audit.log import diff, record, snapshot
from apps.campaigns.models import Campaign
from apps.core import clock
from apps.core.actions import ActionError, Conflict, refuse, refuse_unless
from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination
from apps.notices.choices import ObjectionStatus
from apps.notices.models import Notice, Objection

from .audit import CommendationAudit
from .models import Commendation


def may_commend(user, campaign: Campaign) -> bool:
    return user.may_approve and Campaign.objects.visible_to(user).filter(pk=campaign.pk).exists()


def town_prefix(campaign: Campaign) -> str:
    name = campaign.town.name.removeprefix("中共").removesuffix("委员会")
    return name or campaign.town.name


def certificate_number(campaign: Campaign, seq: int) -> str:
    return f"{town_prefix(campaign)}-{campaign.year}-{seq:03d}"


def commendable(campaign: Campaign):
    """Listed nominations (withdrawn ones have left the list) that a notice has posted."""
    return (
        Nomination.objects.filter(campaign=campaign, status=NominationStatus.LISTED, notices__isnull=False)
        .distinct()
        .select_related("member", "org")
        .order_by("org__path", "pk")
    )


def commend_blockers(actor, campaign: Campaign, today: dt.date | None = None) -> list[str]:
    today = today or clock.today()
    blockers = []
    if Commendation.objects.filter(campaign=campaign).exists():
        return ["本年度已作出表彰决定。"]
    for notice in Notice.objects.filter(campaign=campaign, end__gte=today).order_by("start"):
        state = "尚未开始" if today < notice.start else f"仍在公示期内（剩 {notice.days_left(today)} 天）"
        blockers.append(f"公示（{notice.start:%Y年%m月%d日}至{notice.end:%Y年%m月%d日}）{state}，公示期满后才能表彰。")
    open_objections = Objection.objects.filter(notice__campaign=campaign, status=ObjectionStatus.OPEN).select_related("nomination__member")
    for objection in open_objections:
        about = f"（涉及{objection.nomination.member.name}）" if objection.nomination_id else ""
        blockers.append(f"{objection.received_on:%Y年%m月%d日}收到的异议{about}尚未办结。")
    unposted = Nomination.objects.filter(campaign=campaign, status=NominationStatus.LISTED, notices__isnull=True)
    names = [str(n.member.name) for n in unposted.select_related("member")]
    if names:
        blockers.append(f"参评名单中 {len(names)} 人尚未公示：{'、'.join(names)}。")
    if not names and not commendable(campaign).exists():
        blockers.append("没有可表彰的对象：参评名单为空，或推荐对象均已撤销。")
    return blockers


@transaction.atomic
def commend(actor, campaign: Campaign, doc_number: str, date: dt.date) -> Commendation:
    refuse_unless(may_commend(actor, campaign), "只有镇党委审批人员可以作出表彰决定。")
    campaign = Campaign.objects.select_for_update().select_related("town").get(pk=campaign.pk)
    if Commendation.objects.filter(campaign=campaign).exists():
        raise Conflict(["本年度已作出表彰决定。"])
    doc_number = (doc_number or "").strip()
    errors = {}
    if not doc_number:
        errors["doc_number"] = ["请填写表彰决定的文号，如“东党发〔2026〕12号”。"]
    elif len(doc_number) > 60:
        errors["doc_number"] = ["文号不能超过 60 字。"]
    if date > clock.today():
        errors["date"] = ["表彰日期不能晚于今天。"]
    if errors:
        raise ActionError(errors)
    refuse(commend_blockers(actor, campaign))
    last_end = Notice.objects.filter(campaign=campaign).order_by("-end").values_list("end", flat=True).first()
    if last_end and date <= last_end:
        raise ActionError({"date": [f"表彰日期须在公示期满（{last_end:%Y年%m月%d日}）之后。"]})
    ids = list(commendable(campaign).values_list("pk", flat=True))
    list(Nomination.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))  # lock them
    nominations = list(
        Nomination.objects.filter(pk__in=ids, status=NominationStatus.LISTED).select_related("member", "org").order_by("org__path", "pk")
    )
    try:
        with transaction.atomic():
            decision = Commendation.objects.create(campaign=campaign, doc_number=doc_number, date=date, created_by=actor)
    except IntegrityError as exc:
        raise Conflict(["本年度已作出表彰决定。"]) from exc
    decision.nominations.set(nominations)
    record(
        actor,
        CommendationAudit.COMMENDATION_CREATE,
        decision,
        changes=diff({}, snapshot(decision, fields=["doc_number", "date"])),
        note=f"表彰 {len(nominations)} 人",
        town=campaign.town,
    )
    for seq, nomination in enumerate(nominations, start=1):
        before = snapshot(nomination, fields=["status", "certificate_no"])
        nomination.status = NominationStatus.COMMENDED
        nomination.certificate_no = certificate_number(campaign, seq)
        nomination.save(update_fields=["status", "certificate_no", "updated_at"])
        record(
            actor,
            CommendationAudit.NOMINATION_COMMEND,
            nomination,
            changes=diff(before, snapshot(nomination, fields=["status", "certificate_no"])),
            town=campaign.town,
        )
    return decision
