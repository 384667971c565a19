"""State changes of the 示范村 procedure (SPEC §3 "Procedure of a 示范村").

- `designate_villages`: the town designates candidate villages (kind 村, of its own town) within the village
  quota floor(count × Y%).
- `form_group`: the town office forms a 党建调研督查组 of inspector accounts and assigns villages to it.
- `save_inspection` / `upload_evidence` / `finalize_inspection`: the group's inspectors write the inspection
  (a draft, replaceable) with evidence files and finalize it once; afterwards writes are refused (409)
  until the town office reopens it (`reopen_inspection`, audited, with a reason).
- `report_villages`: the town reports the finalized, recommended villages to the county.
- `decide_village` / `record_plaque`: the county approves or not and records the plaque (授牌).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.audit.log import diff, record, snapshot
from apps.campaigns.live_quotas import village_quota
from apps.campaigns.models import Campaign, Criterion, Target
from apps.core.actions import ActionError, Conflict, refuse, refuse_unless
from apps.core.clock import today
from apps.orgs.choices import OrgKind
from apps.orgs.models import Organization

from .audit import VillageAudit
from .choices import OPEN_STATUSES, Conclusion, VillageStatus
from .evidence import check_upload
from .models import Evidence, Finding, Inspection, InspectionGroup, VillageCandidate, VillageScale, max_score


def _d(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- who may -------------------------------------------------------------------------------------------------------


def may_designate(user) -> bool:
    return user.manages_town or user.may_approve


def may_manage(user) -> bool:
    """Groups, reopening and the report to the county: the town office."""
    return user.manages_town


def may_inspect(user) -> bool:
    return user.is_inspector or user.is_admin_role


def may_decide(user) -> bool:
    return user.is_county_reviewer or user.is_admin_role


def in_group(user, candidate: VillageCandidate) -> bool:
    if user.is_admin_role:
        return True
    group = candidate.group
    return group is not None and user.is_inspector and group.includes(user)


def _lock(candidate: VillageCandidate) -> VillageCandidate:
    return VillageCandidate.objects.select_for_update(of=("self",)).select_related("campaign__town", "org", "group").get(pk=candidate.pk)


def _town_village(campaign: Campaign, org: Organization) -> bool:
    return org.is_active and org.kind == OrgKind.VILLAGE and org.path.startswith(campaign.town.path) and org.pk != campaign.town_id


# --- designation ---------------------------------------------------------------------------------------------------


def quota_message(campaign: Campaign, count: int) -> str:
    quota = village_quota(campaign)
    return f"超出示范村名额：本镇示范村候选不超过 {quota.value} 个（{quota.explain()}），拟确定共 {count} 个。"


def designate_blockers(actor, campaign: Campaign, orgs: list[Organization] | None = None) -> list[str]:
    blockers: list[str] = []
    quota = village_quota(campaign)
    existing = set(VillageCandidate.objects.filter(campaign=campaign).values_list("org_id", flat=True))
    if orgs is None:
        if len(existing) >= quota.value:
            blockers.append(f"示范村候选已达名额：{quota.explain()}，已确定 {len(existing)} 个。")
        return blockers
    if not orgs:
        blockers.append("请至少选择一个村党组织。")
    for org in orgs:
        if not _town_village(campaign, org):
            blockers.append(f"“{org}”不是本镇的村党组织（类别为“村”），不能确定为示范村候选。")
        elif org.pk in existing:
            blockers.append(f"“{org}”已是本年度示范村候选。")
    new = {o.pk for o in orgs} - existing
    if len(existing) + len(new) > quota.value:
        blockers.append(quota_message(campaign, len(existing) + len(new)))
    return blockers


@transaction.atomic
def designate_villages(actor, campaign: Campaign, orgs: list[Organization]) -> list[VillageCandidate]:
    refuse_unless(may_designate(actor), "您无权确定示范村候选村。")
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("town").get(pk=campaign.pk)
    orgs = list(dict.fromkeys(orgs))
    refuse(designate_blockers(actor, campaign, orgs))
    created = []
    for org in orgs:
        candidate = VillageCandidate.objects.create(campaign=campaign, org=org, designated_by=actor)
        record(
            actor, VillageAudit.DESIGNATE, candidate, changes=diff({}, snapshot(candidate, fields=["org", "status"])), town=campaign.town
        )
        created.append(candidate)
    return created


# --- the inspection group ------------------------------------------------------------------------------------------


def town_inspectors(campaign: Campaign):
    User = get_user_model()
    return User.objects.filter(role="inspector", is_active=True, organization=campaign.town).order_by("username")


def form_group_blockers(actor, campaign: Campaign, data: dict[str, Any]) -> list[str]:
    blockers: list[str] = []
    if not (data.get("name") or "").strip():
        blockers.append("请填写督查组名称。")
    inspectors = set(town_inspectors(campaign).values_list("pk", flat=True))
    leader = data.get("leader_user_id")
    members = list(dict.fromkeys(data.get("member_user_ids") or []))
    if leader not in inspectors:
        blockers.append("组长须为本镇督查组成员账号（角色为“督查组成员”）。")
    outside = [m for m in members if m not in inspectors]
    if outside:
        blockers.append("成员须为本镇督查组成员账号：用户编号 " + "、".join(str(m) for m in outside) + " 不符合。")
    ids = list(dict.fromkeys(data.get("village_candidate_ids") or []))
    candidates = {c.pk: c for c in VillageCandidate.objects.filter(campaign=campaign, pk__in=ids).select_related("org", "group")}
    missing = [i for i in ids if i not in candidates]
    if missing:
        blockers.append("只能分配本次活动的示范村候选村：编号 " + "、".join(str(i) for i in missing) + " 不是。")
    for c in candidates.values():
        if c.group_id is not None:
            blockers.append(f"“{c.org}”已分配给“{c.group}”。")
    return blockers


@transaction.atomic
def form_group(actor, campaign: Campaign, data: dict[str, Any]) -> InspectionGroup:
    refuse_unless(may_manage(actor), "只有镇党建办可以组建督查组。")
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("town").get(pk=campaign.pk)
    refuse(form_group_blockers(actor, campaign, data))
    group = InspectionGroup.objects.create(campaign=campaign, name=data["name"].strip(), leader_id=data["leader_user_id"], created_by=actor)
    members = set(data.get("member_user_ids") or []) | {data["leader_user_id"]}
    group.members.set(members)
    ids = list(data.get("village_candidate_ids") or [])
    VillageCandidate.objects.filter(campaign=campaign, pk__in=ids).update(group=group)
    names = sorted(str(u) for u in group.members.all())
    villages = [str(c.org) for c in VillageCandidate.objects.filter(pk__in=ids).select_related("org")]
    record(
        actor,
        VillageAudit.GROUP_FORM,
        group,
        changes={
            "督查组": ["", group.name],
            "组长": ["", str(group.leader)],
            "成员": ["", "、".join(names)],
            "考察村": ["", "、".join(villages)],
        },
        town=campaign.town,
    )
    return group


@transaction.atomic
def set_scale(actor, campaign: Campaign, value: int) -> VillageScale:
    refuse_unless(may_manage(actor), "只有镇党建办可以设置评分标准。")
    if not 1 <= int(value) <= 1000:
        raise ActionError({"max_score": ["每项满分应在 1 到 1000 之间。"]})
    if Finding.objects.filter(inspection__candidate__campaign=campaign).exists():
        raise ActionError({"max_score": ["已有考察评分，不能再修改满分。"]})
    scale, _ = VillageScale.objects.select_for_update().get_or_create(campaign=campaign)
    before = scale.max_score
    scale.max_score = int(value)
    scale.save()
    record(actor, VillageAudit.SCALE, campaign, changes={"每项标准满分": [before, scale.max_score]}, town=campaign.town)
    return scale


# --- the inspection ------------------------------------------------------------------------------------------------


def village_criteria(campaign: Campaign):
    return Criterion.objects.filter(campaign=campaign, target=Target.VILLAGE).order_by("order")


def _write_conflict(candidate: VillageCandidate) -> list[str]:
    if candidate.status not in OPEN_STATUSES:
        return [f"考察报告已定稿（{candidate.get_status_display()}），不能再修改；如需修改请镇党建办退回。"]
    return []


def _parse_dates(values) -> tuple[list[dt.date], list[str]]:
    days, errors = [], []
    for v in values or []:
        try:
            day = v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v).strip())
        except ValueError:
            errors.append(f"考察日期“{v}”格式不正确（应为 2026-05-20）。")
            continue
        if day > today():
            errors.append(f"考察日期（{_d(day)}）不能晚于今天。")
        days.append(day)
    return sorted(set(days)), errors


def save_inspection_blockers(actor, candidate: VillageCandidate, data: dict[str, Any]) -> list[str]:
    blockers: list[str] = []
    _, errors = _parse_dates(data.get("visit_dates"))
    blockers += errors
    conclusion = data.get("conclusion") or ""
    if conclusion and conclusion not in Conclusion.values:
        blockers.append("考察结论只能是“建议命名”或“暂不具备条件”。")
    criteria = {c.order: c for c in village_criteria(candidate.campaign)}
    top = max_score(candidate.campaign)
    seen = set()
    for f in data.get("findings") or []:
        order = f.get("criterion_order")
        if order not in criteria:
            blockers.append(f"没有序号为 {order} 的示范村创建标准。")
            continue
        if order in seen:
            blockers.append(f"标准（{order}）填写了两次。")
        seen.add(order)
        try:
            score = Decimal(str(f.get("score")))
        except (InvalidOperation, ValueError):
            blockers.append(f"标准（{order}）的得分不是数字。")
            continue
        if not score.is_finite() or score < 0 or score > top:
            blockers.append(f"标准（{order}）的得分应在 0 到 {top} 分之间。")
        elif score != score.quantize(Decimal("0.1")):
            blockers.append(f"标准（{order}）的得分最多保留一位小数。")
    return blockers


@transaction.atomic
def save_inspection(actor, candidate: VillageCandidate, data: dict[str, Any]) -> Inspection:
    """Write (or replace) the draft inspection: visit dates, people met, findings per standard, conclusion."""
    candidate = _lock(candidate)
    refuse_unless(in_group(actor, candidate), "只有负责该村的督查组成员可以填写考察记录。")
    refuse(_write_conflict(candidate), conflict=True)
    refuse(save_inspection_blockers(actor, candidate, data))
    inspection, _ = Inspection.objects.get_or_create(candidate=candidate)
    before = snapshot(inspection, fields=["visit_dates", "people_met", "conclusion", "signatures", "report_text"])
    days, _ = _parse_dates(data.get("visit_dates"))
    inspection.visit_dates = [d.isoformat() for d in days]
    inspection.people_met = (data.get("people_met") or "").strip()
    inspection.conclusion = data.get("conclusion") or ""
    if "signatures" in data:
        inspection.signatures = (data.get("signatures") or "").strip()
    if "report_text" in data:
        inspection.report_text = (data.get("report_text") or "").strip()
    inspection.updated_by = actor
    inspection.save()
    criteria = {c.order: c for c in village_criteria(candidate.campaign)}
    inspection.findings.all().delete()
    Finding.objects.bulk_create(
        Finding(
            inspection=inspection,
            criterion=criteria[f["criterion_order"]],
            text=(f.get("text") or "").strip(),
            score=Decimal(str(f["score"])),
        )
        for f in data.get("findings") or []
    )
    changes = diff(before, snapshot(inspection, fields=["visit_dates", "people_met", "conclusion", "signatures", "report_text"]))
    scores = "；".join(
        f"（{f['criterion_order']}）{f['score']}" for f in sorted(data.get("findings") or [], key=lambda f: f["criterion_order"])
    )
    changes["评分"] = ["", scores]
    if candidate.status == VillageStatus.DESIGNATED:
        candidate.status = VillageStatus.INSPECTED
        candidate.save(update_fields=["status", "updated_at"])
        changes["状态"] = [VillageStatus.DESIGNATED.label, VillageStatus.INSPECTED.label]
    record(actor, VillageAudit.INSPECTION_SAVE, inspection, changes=changes, town=candidate.campaign.town)
    return inspection


@transaction.atomic
def upload_evidence(actor, candidate: VillageCandidate, uploaded) -> Evidence:
    candidate = _lock(candidate)
    refuse_unless(in_group(actor, candidate), "只有负责该村的督查组成员可以上传佐证材料。")
    refuse(_write_conflict(candidate), conflict=True)
    checked = check_upload(uploaded)
    original = (getattr(uploaded, "name", "") or "").replace("\x00", "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:100] or "文件"
    evidence = Evidence(candidate=candidate, name=original, content_type=checked.content_type, size=len(checked.data), uploaded_by=actor)
    evidence.file.save(f"upload.{checked.ext}", ContentFile(checked.data), save=False)
    try:
        with transaction.atomic():
            evidence.save()
            changes = {"佐证材料": ["", f"{original}（{evidence.size} 字节）"]}
            record(actor, VillageAudit.EVIDENCE_UPLOAD, candidate, changes=changes, town=candidate.campaign.town)
    except Exception:
        evidence.file.delete(save=False)  # no row, no file
        raise
    return evidence


def delete_evidence_blockers(actor, evidence: Evidence) -> list[str]:
    return _write_conflict(evidence.candidate)


@transaction.atomic
def delete_evidence(actor, evidence: Evidence) -> None:
    """Remove a wrongly uploaded file while the inspection is still a draft (audited; the file goes too)."""
    candidate = _lock(evidence.candidate)
    refuse_unless(in_group(actor, candidate), "只有负责该村的督查组成员可以删除佐证材料。")
    refuse(_write_conflict(candidate), conflict=True)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    name, storage = evidence.file.name, evidence.file.storage
    record(actor, VillageAudit.EVIDENCE_DELETE, candidate, changes={"佐证材料": [evidence.name, ""]}, town=candidate.campaign.town)
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


def withdraw_blockers(actor, candidate: VillageCandidate) -> list[str]:
    if candidate.status != VillageStatus.DESIGNATED or Inspection.objects.filter(candidate=candidate).exists():
        return ["督查组已开始考察，不能撤销候选。"]
    if Evidence.objects.filter(candidate=candidate).exists():
        return ["已有佐证材料，不能撤销候选。"]
    return []


@transaction.atomic
def withdraw_candidate(actor, candidate: VillageCandidate, reason: str) -> None:
    """Undo a designation made by mistake, before any inspection: the quota place is free again."""
    refuse_unless(may_designate(actor), "您无权撤销示范村候选。")
    candidate = _lock(candidate)
    refuse(withdraw_blockers(actor, candidate))
    if not (reason or "").strip():
        raise ActionError({"reason": ["请写明撤销原因。"]})
    changes = {"示范村候选": [str(candidate.org), ""]}
    record(actor, VillageAudit.WITHDRAW, candidate, changes=changes, note=reason.strip(), town=candidate.campaign.town)
    candidate.delete()


def finalize_blockers(actor, candidate: VillageCandidate) -> list[str]:
    if candidate.status not in OPEN_STATUSES:
        return []
    inspection = Inspection.objects.filter(candidate=candidate).first()
    if inspection is None:
        return ["尚未填写考察记录。"]
    blockers = []
    if not inspection.visit_dates:
        blockers.append("请填写考察日期。")
    if not inspection.people_met:
        blockers.append("请填写座谈走访对象。")
    done = set(inspection.findings.values_list("criterion__order", flat=True))
    missing = [c for c in village_criteria(candidate.campaign) if c.order not in done]
    for c in missing:
        blockers.append(f"标准{c}尚未填写考察情况和得分。")
    if not inspection.conclusion:
        blockers.append("请填写考察结论（建议命名 / 暂不具备条件）。")
    if not inspection.signatures:
        blockers.append("请填写考察组成员签名（姓名、日期）。")
    return blockers


@transaction.atomic
def finalize_inspection(actor, candidate: VillageCandidate) -> Inspection:
    candidate = _lock(candidate)
    refuse_unless(in_group(actor, candidate), "只有负责该村的督查组成员可以定稿。")
    refuse(_write_conflict(candidate), conflict=True)
    refuse(finalize_blockers(actor, candidate))
    inspection = candidate.inspection
    if not inspection.report_text:
        from .report import report_text

        inspection.report_text = report_text(candidate)
    inspection.finalized_at = timezone.now()
    inspection.finalized_by = actor
    inspection.save()
    before = candidate.get_status_display()
    candidate.status = VillageStatus.FINALIZED
    candidate.save(update_fields=["status", "updated_at"])
    record(
        actor,
        VillageAudit.INSPECTION_FINALIZE,
        candidate,
        changes={"状态": [before, candidate.get_status_display()]},
        town=candidate.campaign.town,
    )
    return inspection


def reopen_blockers(actor, candidate: VillageCandidate) -> list[str]:
    if candidate.status in OPEN_STATUSES:
        return ["考察报告尚未定稿，无需退回。"]
    if candidate.status != VillageStatus.FINALIZED:
        return [f"已报送县委组织部（{candidate.get_status_display()}），不能再退回修改。"]
    return []


@transaction.atomic
def reopen_inspection(actor, candidate: VillageCandidate, reason: str) -> Inspection:
    candidate = _lock(candidate)
    refuse_unless(may_manage(actor), "只有镇党建办可以退回考察报告。")
    blockers = reopen_blockers(actor, candidate)
    if blockers:
        raise Conflict(blockers)
    if not (reason or "").strip():
        raise ActionError({"reason": ["请写明退回修改的原因。"]})
    inspection = candidate.inspection
    inspection.finalized_at = None
    inspection.finalized_by = None
    inspection.save()
    candidate.status = VillageStatus.INSPECTED
    candidate.save(update_fields=["status", "updated_at"])
    record(
        actor,
        VillageAudit.INSPECTION_REOPEN,
        candidate,
        changes={"状态": [VillageStatus.FINALIZED.label, VillageStatus.INSPECTED.label]},
        note=reason.strip(),
        town=candidate.campaign.town,
    )
    return inspection


# --- the report to the county and the county's decision ------------------------------------------------------------


def reportable(campaign: Campaign):
    return VillageCandidate.objects.filter(
        campaign=campaign, status=VillageStatus.FINALIZED, inspection__conclusion=Conclusion.RECOMMEND
    ).select_related("org")


def report_blockers(actor, campaign: Campaign) -> list[str]:
    if not reportable(campaign).exists():
        return ["没有可报送的村：须考察报告已定稿且督查组建议命名。"]
    return []


@transaction.atomic
def report_villages(actor, campaign: Campaign) -> list[VillageCandidate]:
    refuse_unless(may_manage(actor), "只有镇党建办可以报送县委组织部。")
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("town").get(pk=campaign.pk)
    refuse(report_blockers(actor, campaign))
    now = timezone.now()
    reported = list(reportable(campaign).select_for_update(of=("self",)))
    for c in reported:
        c.status = VillageStatus.REPORTED
        c.reported_at = now
        c.save(update_fields=["status", "reported_at", "updated_at"])
    record(actor, VillageAudit.REPORT, campaign, changes={"报送示范村": ["", "、".join(str(c.org) for c in reported)]}, town=campaign.town)
    return reported


def decide_blockers(actor, candidate: VillageCandidate) -> list[str]:
    if candidate.status in (VillageStatus.APPROVED, VillageStatus.NOT_APPROVED):
        return []
    if candidate.status != VillageStatus.REPORTED:
        return [f"镇党委尚未报送该村（{candidate.get_status_display()}），县委组织部暂不能审定。"]
    return []


def _plaque_blockers(candidate, plaque_no: str, plaque_date, decision_date) -> list[str]:
    blockers = []
    if plaque_no and VillageCandidate.objects.filter(plaque_no=plaque_no).exclude(pk=candidate.pk).exists():
        blockers.append(f"牌匾编号“{plaque_no}”已被使用。")
    if plaque_date and decision_date and plaque_date < decision_date:
        blockers.append("授牌日期不能早于审定日期。")
    if plaque_date and plaque_date > today():
        blockers.append("授牌日期不能晚于今天。")
    return blockers


@transaction.atomic
def decide_village(
    actor,
    candidate: VillageCandidate,
    approved: bool,
    date: dt.date,
    note: str = "",
    plaque_no: str = "",
    plaque_date: dt.date | None = None,
) -> VillageCandidate:
    candidate = _lock(candidate)
    refuse_unless(may_decide(actor), "只有县委组织部可以审定示范村。")
    if candidate.status in (VillageStatus.APPROVED, VillageStatus.NOT_APPROVED):
        raise Conflict([f"该村已审定（{candidate.get_status_display()}）。"])
    blockers = decide_blockers(actor, candidate)
    if date and date > today():
        blockers.append("审定日期不能晚于今天。")
    if date and candidate.reported_at and date < timezone.localdate(candidate.reported_at):
        blockers.append("审定日期不能早于镇党委报送日期。")
    plaque_no = (plaque_no or "").strip()
    if plaque_no and not approved:
        blockers.append("未批准的村不能登记牌匾。")
    if plaque_no and plaque_date is None:
        plaque_date = date
    blockers += _plaque_blockers(candidate, plaque_no, plaque_date, date)
    refuse(blockers)
    before = snapshot(candidate, fields=["status", "decision_date", "decision_note", "plaque_no", "plaque_date"])
    candidate.status = VillageStatus.APPROVED if approved else VillageStatus.NOT_APPROVED
    candidate.decision_date = date
    candidate.decision_note = (note or "").strip()
    candidate.decided_by = actor
    if plaque_no:
        candidate.plaque_no, candidate.plaque_date = plaque_no, plaque_date
    candidate.save()
    changes = diff(before, snapshot(candidate, fields=["status", "decision_date", "decision_note", "plaque_no", "plaque_date"]))
    record(actor, VillageAudit.COUNTY_DECIDE, candidate, changes=changes, town=candidate.campaign.town)
    return candidate


@transaction.atomic
def record_plaque(actor, candidate: VillageCandidate, plaque_no: str, plaque_date: dt.date) -> VillageCandidate:
    candidate = _lock(candidate)
    refuse_unless(may_decide(actor), "只有县委组织部可以登记授牌。")
    if candidate.status != VillageStatus.APPROVED:
        raise ActionError(["只有县委组织部已批准的示范村才能授牌。"])
    if candidate.plaque_no:
        raise Conflict([f"已登记授牌（编号 {candidate.plaque_no}）。"])
    plaque_no = (plaque_no or "").strip()
    blockers = [] if plaque_no else ["请填写牌匾编号。"]
    refuse(blockers + _plaque_blockers(candidate, plaque_no, plaque_date, candidate.decision_date))
    candidate.plaque_no, candidate.plaque_date = plaque_no, plaque_date
    candidate.save(update_fields=["plaque_no", "plaque_date", "updated_at"])
    record(
        actor,
        VillageAudit.PLAQUE,
        candidate,
        changes={"牌匾编号": ["", plaque_no], "授牌日期": ["", plaque_date.isoformat()]},
        town=candidate.campaign.town,
    )
    return candidate


# --- the village branch's self-assessment --------------------------------------------------------------------------


def may_self_assess(user) -> bool:
    return user.is_branch_secretary


def self_assessment_blockers(actor, campaign: Campaign, org: Organization | None) -> list[str]:
    if org is None or not _town_village(campaign, org):
        return ["只有本镇村党组织（类别为“村”）可以提交示范村自评。"]
    candidate = VillageCandidate.objects.filter(campaign=campaign, org=org).first()
    if candidate is not None and candidate.status not in OPEN_STATUSES:
        return ["督查组考察报告已定稿，自评不能再修改。"]
    return []


@transaction.atomic
def submit_self_assessment(actor, campaign: Campaign, org: Organization, texts: dict[int, str]):
    """The village branch's account against each standard; may be resubmitted until the inspection is finalized."""
    from .models import SelfAssessment

    refuse_unless(may_self_assess(actor) and actor.organization_id == org.pk, "只有本村党组织书记可以提交自评。")
    campaign = Campaign.objects.select_for_update().select_related("town").get(pk=campaign.pk)
    refuse(self_assessment_blockers(actor, campaign, org))
    orders = {c.order for c in village_criteria(campaign)}
    items = [{"order": o, "text": (texts.get(o) or "").strip()} for o in sorted(orders) if (texts.get(o) or "").strip()]
    if not items:
        raise ActionError(["请至少对照一项标准填写自评。"])
    assessment, created = SelfAssessment.objects.get_or_create(campaign=campaign, org=org, defaults={"submitted_by": actor})
    before = "" if created else "；".join(f"（{i['order']}）{i['text'][:40]}" for i in assessment.items)
    assessment.items = items
    assessment.submitted_by = actor
    assessment.save()
    after = "；".join(f"（{i['order']}）{i['text'][:40]}" for i in items)
    record(actor, VillageAudit.SELF_ASSESS, assessment, changes={"自评": [before, after]}, town=campaign.town)
    return assessment
