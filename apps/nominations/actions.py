"""State changes of the 示范岗 nomination after the meeting (SPEC §3 "Procedure of a 示范岗 nomination" 2–3).

- `create_proposal`: the branch committee (支委会) picks a subset of the meeting's recommended list within
  the meeting's frozen quota; the picked candidates become draft nominations. Called again before
  submission it edits the proposal (the picked set, dates, opinion).
- `submit_proposal`: draft and returned nominations go to the town (submitted), by the campaign deadline
  unless the town office has reopened the branch until a later day.
- `reopen_branch`: the town office lets one branch submit after the deadline, until a date, for a reason.
- `decide_nomination`: a holder of the approval right who did not submit it approves or returns it.
- `form_county_list`: the approved nominations become the 参评名单 reported to the county.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.audit.log import diff, record, snapshot
from apps.core.actions import ActionError, Conflict, refuse, refuse_unless
from apps.core.clock import today
from apps.meetings.choices import MeetingStatus
from apps.meetings.models import Meeting
from apps.orgs.choices import OrgLevel
from apps.orgs.models import Organization

from .audit import NominationAudit
from .choices import Decision, NominationStatus
from .models import Nomination, Proposal, Reopening, Review

PROPOSAL_FIELDS = ("committee_date", "committee_attendees", "opinion", "publicity_start", "publicity_end")
# Nominations that may still be changed by the branch and (re)submitted.
OPEN_STATUSES = (NominationStatus.DRAFT, NominationStatus.RETURNED)
# Nominations the branch can no longer take back: the town has them or has accepted them.
HELD_STATUSES = (NominationStatus.SUBMITTED, NominationStatus.APPROVED, NominationStatus.LISTED, NominationStatus.COMMENDED)
BRANCH_WITHDRAWN = "支部撤回推荐"


def _d(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _town_of(campaign):
    return campaign.town


def _control_chars(*texts) -> list[str]:
    """PostgreSQL can't store NUL in text; other control characters (but tab and newlines) are noise."""
    bad = any(ch in str(t or "") for t in texts for ch in "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f")
    return ["文字中含有无法保存的控制字符，请删除后重试。"] if bad else []


# --- who may -------------------------------------------------------------------------------------------------------


def may_propose(user) -> bool:
    """The branch's secretary or the town office (acting for a branch) write and submit the proposal."""
    return user.is_branch_secretary or user.manages_town


def may_reopen(user) -> bool:
    return user.manages_town


def may_decide(user) -> bool:
    return user.may_approve


def _visible(user, model, pk) -> bool:
    return model.objects.visible_to(user).filter(pk=pk).exists()


# --- the proposal --------------------------------------------------------------------------------------------------


def quota_message(meeting: Meeting, count: int) -> str:
    return f"超出名额：本支部示范岗名额为 {meeting.quota_value} 人（{meeting.quota_explain}），拟推荐 {count} 人。"


def create_proposal_blockers(actor, meeting: Meeting, data: dict[str, Any] | None = None) -> list[str]:
    """Why the committee's proposal can't be recorded now (with `data`: also what is wrong with it)."""
    blockers: list[str] = []
    if meeting.status != MeetingStatus.CONCLUDED:
        blockers.append("支部党员大会尚未产生推荐人选：请先完成党员大会的民主推荐。")
    if meeting.quota_value is None:
        blockers.append("党员大会尚未签到，示范岗名额未确定。")
    proposal = getattr(meeting, "proposal", None) if meeting.pk else None
    if proposal is not None and proposal.nominations.filter(status=NominationStatus.SUBMITTED).exists():
        blockers.append("推荐对象已报镇党委、正在审批：审批结果出来前不能修改。")
    if data is None or blockers:
        return blockers

    recommended = {c.pk: c for c in meeting.recommended_candidates().select_related("member")}
    ids = list(dict.fromkeys(data.get("candidate_ids") or []))
    if not ids:
        blockers.append("请至少选择一名推荐对象。")
    outside = [i for i in ids if i not in recommended]
    if outside:
        blockers.append("只能从党员大会推荐人选中选择：候选人编号 " + "、".join(str(i) for i in outside) + " 不在推荐名单中。")
    if meeting.quota_value is not None and len(ids) > meeting.quota_value:
        blockers.append(quota_message(meeting, len(ids)))
    if proposal is not None:
        held = proposal.nominations.filter(status__in=HELD_STATUSES).exclude(candidate_id__in=ids).select_related("member")
        for n in held:
            blockers.append(f"{n.member.name}已经镇党委审批（{n.get_status_display()}），不能从推荐中去掉。")
    committee_date, start, end = data.get("committee_date"), data.get("publicity_start"), data.get("publicity_end")
    if committee_date:
        if committee_date < meeting.date:
            blockers.append(f"支委会日期（{_d(committee_date)}）不能早于党员大会日期（{_d(meeting.date)}）。")
        if committee_date > today():
            blockers.append(f"支委会日期（{_d(committee_date)}）不能晚于今天：请在支委会召开后填写。")
    if start and end and start > end:
        blockers.append(f"支部内公示开始日期（{_d(start)}）不能晚于结束日期（{_d(end)}）。")
    if start and committee_date and start < committee_date:
        blockers.append(f"支部内公示应在支委会确定推荐对象之后：开始日期（{_d(start)}）早于支委会日期（{_d(committee_date)}）。")
    blockers += _control_chars(data.get("committee_attendees"), data.get("opinion"))
    for field, label in (("committee_attendees", "参会支委"), ("opinion", "支部意见")):
        if not str(data.get(field) or "").strip():
            blockers.append(f"请填写{label}。")
    return blockers


@transaction.atomic
def create_proposal(actor, meeting: Meeting, data: dict[str, Any]) -> Proposal:
    """Record (or, before submission, edit) the branch committee's proposal: the picked candidates
    become draft nominations; candidates no longer picked are dropped (a returned one is withdrawn
    by the branch, so its review history stays)."""
    refuse_unless(may_propose(actor) and _visible(actor, Meeting, meeting.pk), "您无权为该支部填写推荐。")
    meeting = Meeting.objects.select_for_update().select_related("campaign").get(pk=meeting.pk)
    proposal = Proposal.objects.select_for_update().filter(meeting=meeting).first()
    refuse(create_proposal_blockers(actor, meeting, data))
    ids = list(dict.fromkeys(data["candidate_ids"]))
    candidates = {c.pk: c for c in meeting.recommended_candidates().filter(pk__in=ids)}
    fields = {k: (data[k].strip() if isinstance(data[k], str) else data[k]) for k in PROPOSAL_FIELDS}

    before: dict[str, Any] = {}
    if proposal is None:
        proposal = Proposal.objects.create(meeting=meeting, campaign=meeting.campaign, org_id=meeting.org_id, created_by=actor, **fields)
    else:
        before = snapshot(proposal, fields=PROPOSAL_FIELDS)
        for k, v in fields.items():
            setattr(proposal, k, v)
        proposal.save()

    existing = {n.candidate_id: n for n in proposal.nominations.select_for_update()}
    names_before = sorted(n.member.name for n in proposal.nominations.active().select_related("member"))
    for cid, nomination in existing.items():
        if cid in candidates:
            if nomination.status == NominationStatus.WITHDRAWN and nomination.withdrawn_reason == BRANCH_WITHDRAWN:
                nomination.status, nomination.withdrawn_reason = NominationStatus.DRAFT, ""
                nomination.save(update_fields=["status", "withdrawn_reason", "updated_at"])
        elif nomination.status == NominationStatus.DRAFT:
            nomination.delete()
        elif nomination.status == NominationStatus.RETURNED:
            nomination.status, nomination.withdrawn_reason = NominationStatus.WITHDRAWN, BRANCH_WITHDRAWN
            nomination.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    for cid in ids:
        if cid not in existing:
            candidate = candidates[cid]
            Nomination.objects.create(
                campaign=meeting.campaign, org_id=meeting.org_id, proposal=proposal, candidate=candidate, member_id=candidate.member_id
            )
    names_after = sorted(n.member.name for n in proposal.nominations.active().select_related("member"))
    changes = diff(before, snapshot(proposal, fields=PROPOSAL_FIELDS))
    if names_before != names_after:
        changes["推荐对象"] = ["、".join(names_before), "、".join(names_after)]
    record(
        actor,
        NominationAudit.PROPOSAL_UPDATE if before else NominationAudit.PROPOSAL_CREATE,
        proposal,
        changes=changes,
        town=_town_of(meeting.campaign),
    )
    return proposal


def correct_nomination_blockers(actor, nomination: Nomination) -> list[str]:
    if nomination.status not in OPEN_STATUSES:
        return [f"该推荐对象当前为“{nomination.get_status_display()}”：只有待报送或被退回的推荐对象可以修改申报材料。"]
    return []


@transaction.atomic
def correct_nomination(actor, nomination: Nomination, *, post: str, deeds: str, criteria: dict[int, str]) -> Nomination:
    """Correct what the 申报表 prints for a draft or returned nomination: the post, the main deeds and the
    statement per 示范岗 criterion (`criteria`: criterion order → text). The meeting's votes are untouched."""
    from apps.campaigns.models import Criterion, Target
    from apps.meetings.models import Candidate

    refuse_unless(may_propose(actor) and _visible(actor, Nomination, nomination.pk), "您无权修改该推荐对象的申报材料。")
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    refuse(correct_nomination_blockers(actor, nomination))
    post, deeds = (post or "").strip(), (deeds or "").strip()
    errors: dict[str, list[str]] = {}
    if not post:
        errors["post"] = ["请填写工作岗位/职务。"]
    elif len(post) > 100:
        errors["post"] = ["工作岗位/职务不超过 100 字。"]
    if not deeds:
        errors["deeds"] = ["请填写主要事迹。"]
    if _control_chars(post, deeds, *criteria.values()):
        errors["deeds"] = [*errors.get("deeds", []), *_control_chars(post, deeds, *criteria.values())]
    titles = dict(Criterion.objects.filter(campaign_id=nomination.campaign_id, target=Target.POST).values_list("order", "title"))
    unknown = sorted(set(criteria) - set(titles))
    if unknown:
        errors["criteria"] = [f"创建标准序号 {o} 不存在。" for o in unknown]
    if errors:
        raise ActionError(errors)
    candidate = Candidate.objects.select_for_update().get(pk=nomination.candidate_id)
    fields = ["post", "deeds", "criteria"]
    before = snapshot(candidate, fields=fields)
    candidate.post, candidate.deeds = post, deeds
    candidate.criteria = [
        {"order": order, "title": titles[order], "text": text.strip()} for order, text in sorted(criteria.items()) if (text or "").strip()
    ]
    candidate.save(update_fields=fields)
    changes = diff(before, snapshot(candidate, fields=fields))
    if changes:
        record(actor, NominationAudit.NOMINATION_CORRECT, nomination, changes=changes, town=nomination.campaign.town)
    return nomination


# --- submission, deadline and reopening ----------------------------------------------------------------------------


def open_reopening(campaign, org, on: dt.date | None = None) -> Reopening | None:
    """The reopening that lets this branch submit on that day (the latest running one), if any."""
    on = on or today()
    return Reopening.objects.filter(campaign=campaign, org=org, until__gte=on).order_by("-until").first()


def deadline_blocker(campaign, org) -> str | None:
    """Why the branch can't submit today because of the deadline; None while it may."""
    day = today()
    if day <= campaign.deadline or open_reopening(campaign, org, day) is not None:
        return None
    return f"已过申报截止日期（{_d(campaign.deadline)}），不能报送：请联系{campaign.office_name}办理延期报送。"


def submit_proposal_blockers(actor, proposal: Proposal) -> list[str]:
    blockers: list[str] = []
    nominations = list(proposal.nominations.all())
    if not any(n.status in OPEN_STATUSES for n in nominations):
        blockers.append("没有待报送的推荐对象。")
    late = deadline_blocker(proposal.campaign, proposal.org)
    if late:
        blockers.append(late)
    if proposal.publicity_end > today():
        blockers.append(f"支部内公示至 {_d(proposal.publicity_end)} 结束，公示期满后才能报送镇党委。")
    meeting = proposal.meeting
    active = [n for n in nominations if n.status != NominationStatus.WITHDRAWN]
    if meeting.quota_value is not None and len(active) > meeting.quota_value:
        blockers.append(quota_message(meeting, len(active)))
    return blockers


@transaction.atomic
def submit_proposal(actor, proposal: Proposal) -> Proposal:
    """Send the draft and returned (corrected) nominations to the town."""
    refuse_unless(may_propose(actor) and _visible(actor, Proposal, proposal.pk), "您无权报送该支部的推荐。")
    proposal = Proposal.objects.select_for_update().select_related("campaign", "org", "meeting").get(pk=proposal.pk)
    nominations = list(proposal.nominations.select_for_update().select_related("member"))
    statuses = {n.status for n in nominations}
    if NominationStatus.SUBMITTED in statuses and not statuses & set(OPEN_STATUSES):
        raise Conflict(["推荐对象已报送镇党委，无需重复报送。"])
    refuse(submit_proposal_blockers(actor, proposal))
    now = timezone.now()
    sent = [n for n in nominations if n.status in OPEN_STATUSES]
    for n in sent:
        n.status, n.submitted_at, n.submitted_by = NominationStatus.SUBMITTED, now, actor
        n.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    proposal.submitted_at, proposal.submitted_by = now, actor
    proposal.save(update_fields=["submitted_at", "submitted_by"])
    reopening = open_reopening(proposal.campaign, proposal.org) if today() > proposal.campaign.deadline else None
    record(
        actor,
        NominationAudit.PROPOSAL_SUBMIT,
        proposal,
        changes={"报送": ["", "、".join(n.member.name for n in sent)]},
        note=f"延期报送（至 {_d(reopening.until)}）" if reopening else "",
        town=_town_of(proposal.campaign),
    )
    return proposal


def reopen_branch_blockers(actor, campaign, org: Organization | None, until: dt.date | None, reason: str = "") -> list[str]:
    blockers: list[str] = []
    if org is not None and (not org.path.startswith(campaign.town.path) or org.level == OrgLevel.TOWN or org.pk == campaign.town_id):
        blockers.append(f"{org} 不是{campaign.town}下属的党组织。")
    if until is not None:
        if until < today():
            blockers.append(f"延期至 {_d(until)} 已是过去的日期：请选择今天或以后的日期。")
        elif until <= campaign.deadline:
            blockers.append(f"延期日期应晚于申报截止日期（{_d(campaign.deadline)}）：截止前支部可直接报送。")
    if not (reason or "").strip():
        blockers.append("请填写延期报送的原因。")
    return blockers + _control_chars(reason)


@transaction.atomic
def reopen_branch(actor, campaign, org: Organization, until: dt.date, reason: str) -> Reopening:
    """Let one branch submit after the campaign deadline, until `until` (inclusive), for a logged reason."""
    from apps.campaigns.models import Campaign

    refuse_unless(may_reopen(actor) and _visible(actor, Campaign, campaign.pk), "只有镇党建办可以准予延期报送。")
    refuse(reopen_branch_blockers(actor, campaign, org, until, reason))
    reopening = Reopening.objects.create(campaign=campaign, org=org, until=until, reason=reason.strip(), created_by=actor)
    record(
        actor,
        NominationAudit.BRANCH_REOPEN,
        reopening,
        changes={"延期至": ["", until.isoformat()]},
        note=reason.strip(),
        town=campaign.town,
    )
    return reopening


# --- the town's review ---------------------------------------------------------------------------------------------


def decide_nomination_blockers(actor, nomination: Nomination, decision: str | None = None, reason: str = "") -> list[str]:
    blockers: list[str] = []
    if nomination.status != NominationStatus.SUBMITTED:
        blockers.append(f"该推荐对象当前为“{nomination.get_status_display()}”，不在待审批状态。")
    if decision == Decision.RETURN and not (reason or "").strip():
        blockers.append("退回须写明理由，支部据此修改后重新报送。")
    return blockers + _control_chars(reason)


def _decided_message(nomination: Nomination) -> str:
    last = nomination.reviews.select_related("decided_by").order_by("-decided_at", "-pk").first()
    if last is None:
        return f"该推荐对象的状态已变为“{nomination.get_status_display()}”，请刷新页面。"
    return (
        f"该推荐对象已由{last.decided_by or '他人'}于 {timezone.localtime(last.decided_at):%Y-%m-%d %H:%M} "
        f"审批为“{last.get_decision_display()}”，您的审批未执行，请刷新页面查看。"
    )


@transaction.atomic
def decide_nomination(actor, nomination: Nomination, decision: str, reason: str = "") -> Review:
    """Approve a submitted nomination, or return it to the branch with a reason. Locks the row so
    that of two reviewers deciding at once one wins and the other gets a Conflict."""
    refuse_unless(may_decide(actor) and _visible(actor, Nomination, nomination.pk), "只有镇党委审批人可以审批推荐对象。")
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    refuse_unless(
        nomination.submitted_by_id is None or nomination.submitted_by_id != actor.pk,
        "该推荐对象由您本人报送，按规定不能由本人审批，请由其他审批人审批。",
    )
    if decision not in Decision.values:
        raise ActionError({"decision": ["审批意见只能是“同意”或“退回”。"]})
    if nomination.status != NominationStatus.SUBMITTED:
        # Decided (or withdrawn) while this reviewer was looking at it: the other reviewer won.
        raise Conflict([_decided_message(nomination)])
    refuse(decide_nomination_blockers(actor, nomination, decision, reason))
    new_status = NominationStatus.APPROVED if decision == Decision.APPROVE else NominationStatus.RETURNED
    old_label = nomination.get_status_display()
    nomination.status = new_status
    nomination.save(update_fields=["status", "updated_at"])
    review = Review.objects.create(nomination=nomination, decision=decision, reason=(reason or "").strip(), decided_by=actor)
    record(
        actor,
        NominationAudit.NOMINATION_APPROVE if decision == Decision.APPROVE else NominationAudit.NOMINATION_RETURN,
        nomination,
        changes={"状态": [old_label, nomination.get_status_display()]},
        note=review.reason,
        town=nomination.campaign.town,
    )
    return review


# --- the 参评名单 ----------------------------------------------------------------------------------------------------


def form_county_list_blockers(actor, campaign) -> list[str]:
    """The list is formed from the approved nominations. It waits while any submitted nomination is
    undecided: the county gets one complete list, not one that silently leaves a branch out. Returned
    and draft nominations don't block (the branch may never resubmit); a branch that is approved later
    (after a reopening) is added by forming the list again."""
    blockers: list[str] = []
    nominations = Nomination.objects.filter(campaign=campaign)
    if not nominations.filter(status=NominationStatus.APPROVED).exists():
        blockers.append("没有经镇党委审批同意、尚未列入参评名单的推荐对象。")
    pending: dict[str, int] = {}
    for org_name in nominations.filter(status=NominationStatus.SUBMITTED).values_list("org__name", flat=True):
        pending[org_name] = pending.get(org_name, 0) + 1
    if pending:
        detail = "、".join(f"{name} {n} 名" for name, n in pending.items())
        blockers.append(f"尚有 {sum(pending.values())} 名推荐对象待审批（{detail}）：请先审批，再报送参评名单。")
    return blockers


@transaction.atomic
def form_county_list(actor, campaign) -> list[Nomination]:
    """The approved nominations become `listed` (the 参评名单 to the county organization department)."""
    from apps.campaigns.models import Campaign

    refuse_unless(may_reopen(actor) and _visible(actor, Campaign, campaign.pk), "只有镇党建办可以报送参评名单。")
    campaign = Campaign.objects.select_for_update().select_related("town").get(pk=campaign.pk)
    refuse(form_county_list_blockers(actor, campaign))
    now = timezone.now()
    listed = list(
        Nomination.objects.select_for_update().filter(campaign=campaign, status=NominationStatus.APPROVED).select_related("member", "org")
    )
    for n in listed:
        n.status, n.listed_at = NominationStatus.LISTED, now
        n.save(update_fields=["status", "listed_at", "updated_at"])
    record(
        actor,
        NominationAudit.COUNTY_LIST,
        campaign,
        changes={"参评名单": ["", "、".join(f"{n.member.name}（{n.org.name}）" for n in listed)]},
        town=campaign.town,
    )
    return listed
