"""State changes of the 公示 and its objections (SPEC §3 step 4).

- create_notice: the town office posts the campaign's 参评名单 (nominations `listed` not yet posted) from a
  start date (may be in the past: a notice already on the board); the end comes from the campaign's notice
  length and day kind (apps/workdays), the calendar's warnings are kept on the notice.
- file_objection: anyone, without an account, during the period; returns a tracking code shown once (only
  its digest is stored).
- record_objection: the town office enters an objection received by letter, phone or visit.
- add_investigation_note, conclude_objection: the town office investigates and concludes; upheld → the
  nomination is withdrawn with the reason; dismissed → it stays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from apps.audit.log import PUBLIC, diff, record, snapshot
from apps.campaigns.models import Campaign
from apps.core import clock
from apps.core.actions import ActionError, Conflict, refuse, refuse_unless
from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination
from apps.publicity.freshness import invalidate, notice_generation, town_generation
from apps.workdays.calendar import notice_period

from .audit import NoticeAudit
from .choices import Channel, ObjectionStatus, Outcome
from .models import InvestigationNote, Notice, Objection

TEXT_MAX = 2000
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read back on the phone
CODE_LENGTH = 16  # 16 × log2(31) ≈ 79 bits


def may_manage_notices(user, campaign: Campaign | None = None) -> bool:
    if not user.manages_town:
        return False
    return campaign is None or Campaign.objects.visible_to(user).filter(pk=campaign.pk).exists()


# --- notices -----------------------------------------------------------------------------------------------------


def pending_nominations(campaign: Campaign):
    """Nominations on the 参评名单 that no notice has posted yet."""
    return Nomination.objects.filter(campaign=campaign, status=NominationStatus.LISTED, notices__isnull=True)


def create_notice_blockers(actor, campaign: Campaign, start: dt.date | None = None) -> list[str]:
    blockers = []
    pending = pending_nominations(campaign).exists()
    if not pending:
        if Nomination.objects.filter(campaign=campaign, status=NominationStatus.LISTED).exists():
            blockers.append("参评名单中的推荐对象均已公示，无需再次发布。")
        else:
            blockers.append("尚无列入参评名单的推荐对象：镇党委审批并形成参评名单后才能公示。")
    if start is not None:
        if start > clock.today() + dt.timedelta(days=90):
            blockers.append("公示开始日期不能晚于今天起 90 天。")
        if start.year < campaign.year:
            blockers.append(f"公示开始日期不能早于 {campaign.year} 年。")
    return blockers


def notice_title(campaign: Campaign) -> str:
    return f"{campaign.town}关于{campaign.year}年度共产党员示范岗拟表彰对象的公示"


@transaction.atomic
def create_notice(actor, campaign: Campaign, start: dt.date) -> Notice:
    refuse_unless(may_manage_notices(actor, campaign), "只有镇党建办可以发布公示。")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)  # one notice at a time per campaign
    refuse(create_notice_blockers(actor, campaign, start))
    nominations = list(pending_nominations(campaign))
    period = notice_period(start, campaign.notice_days, campaign.notice_day_kind)
    notice = Notice.objects.create(
        campaign=campaign,
        public_id=secrets.token_urlsafe(16),
        title=notice_title(campaign),
        start=period.start,
        end=period.end,
        days=campaign.notice_days,
        day_kind=campaign.notice_day_kind,
        warnings=period.warnings,
        created_by=actor,
    )
    notice.nominations.set(nominations)
    invalidate(town_generation(campaign.town_id))  # the town's public home lists it at once
    record(
        actor,
        NoticeAudit.NOTICE_CREATE,
        notice,
        changes=diff({}, snapshot(notice, fields=["title", "start", "end", "days", "day_kind"])),
        note="公示对象：" + "、".join(str(n.member) for n in nominations) + ("；" + "；".join(period.warnings) if period.warnings else ""),
        town=campaign.town,
    )
    return notice


# --- objections --------------------------------------------------------------------------------------------------


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def tracking_digest(code: str) -> str:
    normalized = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


def find_by_tracking_code(code: str) -> Objection | None:
    if not code or len(code) > 64:
        return None
    return Objection.objects.filter(tracking_digest=tracking_digest(code)).first()


def _clean_text(text: str, *, field: str = "text", label: str = "反映内容") -> str:
    text = (text or "").strip()
    if not text:
        raise ActionError({field: [f"请填写{label}。"]})
    if len(text) > TEXT_MAX:
        raise ActionError({field: [f"{label}不能超过 {TEXT_MAX} 字（现为 {len(text)} 字）。"]})
    return text


def _nomination_on(notice: Notice, nomination_id: int | None) -> Nomination | None:
    if nomination_id in (None, ""):
        return None
    nomination = notice.nominations.filter(pk=nomination_id).first()
    if nomination is None:
        raise ActionError({"nomination_id": ["所选对象不在本次公示名单中。"]})
    return nomination


def file_objection_blockers(notice: Notice, today: dt.date | None = None) -> list[str]:
    today = today or clock.today()
    if notice.is_running(today):
        return []
    when = "尚未开始" if today < notice.start else "已经结束"
    return [f"公示期为 {notice.start:%Y年%m月%d日}至{notice.end:%Y年%m月%d日}，{when}，不能在线提交异议。"]


@transaction.atomic
def file_objection(
    notice: Notice, text: str, *, name: str = "", contact: str = "", nomination_id: int | None = None
) -> tuple[Objection, str]:
    """A member of the public objects online (named or anonymously). Returns the objection and its
    tracking code, which is shown to the filer once and never stored."""
    notice = Notice.objects.get(pk=notice.pk)
    refuse(file_objection_blockers(notice))
    text = _clean_text(text)
    nomination = _nomination_on(notice, nomination_id)
    code = new_tracking_code()
    objection = Objection.objects.create(
        notice=notice,
        nomination=nomination,
        channel=Channel.ONLINE,
        text=text,
        name=(name or "").strip()[:40],
        contact=(contact or "").strip()[:60],
        received_on=clock.today(),
        tracking_digest=tracking_digest(code),
    )
    record(
        PUBLIC,
        NoticeAudit.OBJECTION_FILE,
        objection,
        note=("实名" if objection.name else "匿名") + (f"，所涉对象：{nomination.member}" if nomination else ""),
        town=notice.campaign.town,
    )
    return objection, code


def record_objection_blockers(notice: Notice, received_on: dt.date) -> list[str]:
    blockers = []
    if not notice.start <= received_on <= notice.end:
        blockers.append(f"收到日期须在公示期内（{notice.start:%Y年%m月%d日}至{notice.end:%Y年%m月%d日}）。")
    if received_on > clock.today():
        blockers.append("收到日期不能晚于今天。")
    return blockers


@transaction.atomic
def record_objection(
    actor,
    notice: Notice,
    *,
    text: str,
    received_on: dt.date,
    channel: str = Channel.LETTER,
    nomination_id: int | None = None,
    name: str = "",
    contact: str = "",
) -> Objection:
    """The town office enters an objection received by letter, phone or visit."""
    refuse_unless(may_manage_notices(actor, notice.campaign), "只有镇党建办可以登记异议。")
    if channel not in (Channel.LETTER, Channel.PHONE, Channel.VISIT):
        raise ActionError({"channel": ["渠道须为来信、来电或来访。"]})
    blockers = record_objection_blockers(notice, received_on)
    if blockers:
        raise ActionError({"received_on": blockers})
    text = _clean_text(text)
    nomination = _nomination_on(notice, nomination_id)
    objection = Objection.objects.create(
        notice=notice,
        nomination=nomination,
        channel=channel,
        text=text,
        name=(name or "").strip()[:40],
        contact=(contact or "").strip()[:60],
        received_on=received_on,
        recorded_by=actor,
    )
    record(
        actor,
        NoticeAudit.OBJECTION_RECORD,
        objection,
        changes=diff({}, snapshot(objection, fields=["channel", "received_on", "nomination", "name"])),
        town=notice.campaign.town,
    )
    return objection


def _locked_open(objection: Objection) -> Objection:
    objection = Objection.objects.select_for_update().select_related("notice__campaign__town").get(pk=objection.pk)
    if objection.status != ObjectionStatus.OPEN:
        raise Conflict(["该异议已办结，不能再修改。"])
    return objection


@transaction.atomic
def add_investigation_note(actor, objection: Objection, text: str) -> InvestigationNote:
    refuse_unless(may_manage_notices(actor, objection.notice.campaign), "只有镇党建办可以填写核实记录。")
    objection = _locked_open(objection)
    note = InvestigationNote.objects.create(objection=objection, text=_clean_text(text, label="核实情况"), written_by=actor)
    record(actor, NoticeAudit.OBJECTION_NOTE, objection, note=note.text[:200], town=objection.notice.campaign.town)
    return note


def conclude_objection_blockers(objection: Objection, outcome: str, nomination_id: int | None = None) -> list[str]:
    if outcome == Outcome.UPHELD and objection.nomination_id is None and not nomination_id:
        return ["反映属实须指明所涉推荐对象（将撤销其推荐资格）。"]
    return []


@transaction.atomic
def conclude_objection(actor, objection: Objection, outcome: str, conclusion: str, nomination_id: int | None = None) -> Objection:
    """Upheld → the nomination is withdrawn with the conclusion as the reason; dismissed → it stays."""
    refuse_unless(may_manage_notices(actor, objection.notice.campaign), "只有镇党建办可以办结异议。")
    if outcome not in Outcome.values:
        raise ActionError({"outcome": ["结论须为“反映属实”或“反映不属实”。"]})
    objection = _locked_open(objection)
    conclusion = _clean_text(conclusion, field="conclusion", label="核查结论")
    refuse(conclude_objection_blockers(objection, outcome, nomination_id))
    if objection.nomination_id is None and nomination_id:
        objection.nomination = _nomination_on(objection.notice, nomination_id)
    before = snapshot(objection, fields=["status", "outcome", "conclusion", "nomination"])
    objection.status = ObjectionStatus.CONCLUDED
    objection.outcome = outcome
    objection.conclusion = conclusion
    objection.concluded_by = actor
    objection.concluded_at = timezone.now()
    objection.save()
    town = objection.notice.campaign.town
    record(
        actor,
        NoticeAudit.OBJECTION_CONCLUDE,
        objection,
        changes=diff(before, snapshot(objection, fields=["status", "outcome", "conclusion", "nomination"])),
        town=town,
    )
    if outcome == Outcome.UPHELD:
        nomination = Nomination.objects.select_for_update().get(pk=objection.nomination_id)
        if nomination.status == NominationStatus.LISTED:
            before = snapshot(nomination, fields=["status", "withdrawn_reason"])
            nomination.status = NominationStatus.WITHDRAWN
            nomination.withdrawn_reason = f"公示期间异议经核实属实：{conclusion}"
            nomination.save(update_fields=["status", "withdrawn_reason", "updated_at"])
            record(
                actor,
                NoticeAudit.NOMINATION_WITHDRAW,
                nomination,
                changes=diff(before, snapshot(nomination, fields=["status", "withdrawn_reason"])),
                town=town,
            )
            # The public pages show the withdrawal at once, not after their minute in the cache.
            public_ids = nomination.notices.values_list("public_id", flat=True)
            invalidate(town_generation(town.pk), *(notice_generation(p) for p in public_ids))
        elif nomination.status != NominationStatus.WITHDRAWN:
            raise Conflict([f"{nomination.member}的推荐状态为“{nomination.get_status_display()}”，不能撤销。"])
    return objection
