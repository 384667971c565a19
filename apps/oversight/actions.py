"""Supervision visits (督促检查) and rectification items (整改): every change is one function here.

- `record_visit`: the town office records a visit to a branch of its campaign's town: date, who, findings,
  and the rectification items it raised (each with an owner and a due date).
- `add_rectification`: one more item on a recorded visit.
- `close_rectification`: the town office, or the branch's secretary, closes an item with the evidence of
  what was done and the closing date. Closing twice is a conflict (409).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from apps.audit.log import record
from apps.core.actions import Conflict, refuse, refuse_unless
from apps.core.clock import today
from apps.orgs.models import Organization

from .audit import OversightAudit
from .models import AssessmentItem, AssessmentSource, ManualScore, Rectification, SupervisionVisit
from .progress import BRANCH_LEVELS

MAX_TEXT = 5000


def _d(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def may_supervise(user) -> bool:
    return user.manages_town


def may_close(user) -> bool:
    return user.manages_town or user.is_branch_secretary


def _control_chars(*texts) -> list[str]:
    bad = any(ch in str(t or "") for t in texts for ch in "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f")
    return ["文字中含有无法保存的控制字符，请删除后重试。"] if bad else []


def _item_blockers(item: dict, visit_date: dt.date | None, n: int | None = None) -> list[str]:
    where = f"第 {n} 项整改事项：" if n else ""
    blockers = []
    if not (item.get("item") or "").strip():
        blockers.append(f"{where}请填写整改事项。")
    if not (item.get("owner") or "").strip():
        blockers.append(f"{where}请填写责任人。")
    due = item.get("due_on")
    if due is None:
        blockers.append(f"{where}请填写整改期限。")
    elif visit_date is not None and due < visit_date:
        blockers.append(f"{where}整改期限（{_d(due)}）不能早于检查日期（{_d(visit_date)}）。")
    if len(item.get("item") or "") > MAX_TEXT:
        blockers.append(f"{where}整改事项不超过 {MAX_TEXT} 字。")
    return blockers + _control_chars(item.get("item"), item.get("owner"))


def record_visit_blockers(actor, campaign, org: Organization | None, data: dict) -> list[str]:
    blockers: list[str] = []
    if org is None:
        blockers.append("请选择检查的党组织。")
    elif not org.path.startswith(campaign.town.path) or org.level not in BRANCH_LEVELS:
        blockers.append(f"{org} 不是{campaign.town}下属的党支部（党总支、党委）。")
    day = data.get("date")
    if day is None:
        blockers.append("请填写检查日期。")
    elif day > today():
        blockers.append(f"检查日期（{_d(day)}）不能晚于今天：督促检查在检查后登记。")
    if not (data.get("inspectors") or "").strip():
        blockers.append("请填写检查人员。")
    if not (data.get("findings") or "").strip():
        blockers.append("请填写发现的问题（没有问题时填写“未发现问题”）。")
    if len(data.get("findings") or "") > MAX_TEXT:
        blockers.append(f"发现的问题不超过 {MAX_TEXT} 字。")
    for n, item in enumerate(data.get("items") or [], start=1):
        blockers += _item_blockers(item, day, n)
    return blockers + _control_chars(data.get("inspectors"), data.get("findings"))


def _visible_campaign(actor, campaign) -> bool:
    from apps.campaigns.models import Campaign

    return Campaign.objects.visible_to(actor).filter(pk=campaign.pk).exists()


@transaction.atomic
def record_visit(actor, campaign, org: Organization, data: dict) -> SupervisionVisit:
    """`data`: date, inspectors, findings, items = [{item, owner, due_on}]."""
    refuse_unless(may_supervise(actor) and _visible_campaign(actor, campaign), "只有镇党建办可以登记督促检查。")
    if org is not None and not Organization.objects.visible_to(actor).filter(pk=org.pk).exists():
        org = None
    refuse(record_visit_blockers(actor, campaign, org, data))
    visit = SupervisionVisit.objects.create(
        campaign=campaign,
        org=org,
        date=data["date"],
        inspectors=data["inspectors"].strip(),
        findings=data["findings"].strip(),
        created_by=actor,
    )
    for item in data.get("items") or []:
        Rectification.objects.create(visit=visit, item=item["item"].strip(), owner=item["owner"].strip(), due_on=item["due_on"])
    record(
        actor,
        OversightAudit.VISIT_CREATE,
        visit,
        changes={"检查日期": ["", visit.date.isoformat()], "整改事项": ["", str(len(data.get("items") or []))]},
        note=visit.findings[:200],
        town=campaign.town,
    )
    return visit


def add_rectification_blockers(actor, visit: SupervisionVisit, item: dict) -> list[str]:
    return _item_blockers(item, visit.date)


@transaction.atomic
def add_rectification(actor, visit: SupervisionVisit, item: dict) -> Rectification:
    refuse_unless(may_supervise(actor), "只有镇党建办可以新增整改事项。")
    visit = SupervisionVisit.objects.visible_to(actor).select_for_update().select_related("campaign__town").get(pk=visit.pk)
    refuse(add_rectification_blockers(actor, visit, item))
    rect = Rectification.objects.create(visit=visit, item=item["item"].strip(), owner=item["owner"].strip(), due_on=item["due_on"])
    record(
        actor,
        OversightAudit.RECTIFICATION_CREATE,
        rect,
        changes={"整改期限": ["", rect.due_on.isoformat()]},
        note=rect.item[:200],
        town=visit.campaign.town,
    )
    return rect


def close_rectification_blockers(actor, rect: Rectification, evidence: str = "", closed_on: dt.date | None = None) -> list[str]:
    if rect.closed_on is not None:
        return [f"该整改事项已于 {_d(rect.closed_on)} 销号。"]
    blockers = []
    if not (evidence or "").strip():
        blockers.append("请填写整改情况（销号依据）。")
    if len(evidence or "") > MAX_TEXT:
        blockers.append(f"整改情况不超过 {MAX_TEXT} 字。")
    if closed_on is None:
        blockers.append("请填写销号日期。")
    elif closed_on > today():
        blockers.append(f"销号日期（{_d(closed_on)}）不能晚于今天。")
    elif closed_on < rect.visit.date:
        blockers.append(f"销号日期（{_d(closed_on)}）不能早于检查日期（{_d(rect.visit.date)}）。")
    return blockers + _control_chars(evidence)


@transaction.atomic
def close_rectification(actor, rect: Rectification, evidence: str, closed_on: dt.date) -> Rectification:
    refuse_unless(may_close(actor), "只有镇党建办或本支部书记可以为整改事项销号。")
    rect = Rectification.objects.visible_to(actor).select_for_update().select_related("visit__campaign__town").get(pk=rect.pk)
    if rect.closed_on is not None:
        raise Conflict([f"该整改事项已于 {_d(rect.closed_on)} 销号。"])
    refuse(close_rectification_blockers(actor, rect, evidence, closed_on))
    rect.evidence, rect.closed_on, rect.closed_by = evidence.strip(), closed_on, actor
    rect.save(update_fields=["evidence", "closed_on", "closed_by"])
    late = closed_on > rect.due_on
    record(
        actor,
        OversightAudit.RECTIFICATION_CLOSE,
        rect,
        changes={"销号日期": ["", closed_on.isoformat()]},
        note=("逾期销号：" if late else "") + rect.evidence[:200],
        town=rect.visit.campaign.town,
    )
    return rect


# --- target assessment (目标考核) -------------------------------------------------------------------------------------

MAX_WEIGHT = Decimal(1000)


def may_assess(user) -> bool:
    return user.manages_town


def save_assessment_item_blockers(actor, campaign, data: dict, item=None) -> list[str]:
    blockers = []
    if not (data.get("name") or "").strip():
        blockers.append("请填写考核项目名称。")
    if data.get("source") not in AssessmentSource.values:
        blockers.append("请选择评分依据。")
    weight = data.get("weight")
    if weight is None or not isinstance(weight, Decimal) or not weight.is_finite():
        blockers.append("请填写权重（分值）。")
    elif weight <= 0 or weight > MAX_WEIGHT:
        blockers.append(f"权重应大于 0、不超过 {MAX_WEIGHT}（当前 {weight}）。")
    order = data.get("order")
    if order is None or order < 1:
        blockers.append("序号应为正整数。")
    elif AssessmentItem.objects.filter(campaign=campaign, order=order).exclude(pk=getattr(item, "pk", None)).exists():
        blockers.append(f"序号 {order} 已被其他考核项目使用。")
    return blockers + _control_chars(data.get("name"))


@transaction.atomic
def save_assessment_item(actor, campaign, data: dict, item: AssessmentItem | None = None) -> AssessmentItem:
    """Create (item=None) or change an item: order, name, source, weight."""
    refuse_unless(may_assess(actor) and _visible_campaign(actor, campaign), "只有镇党建办可以设置考核项目。")
    if item is not None:
        item = AssessmentItem.objects.select_for_update().get(pk=item.pk, campaign=campaign)
    refuse(save_assessment_item_blockers(actor, campaign, data, item))
    before = {} if item is None else {"权重": str(item.weight), "名称": item.name}
    item = item or AssessmentItem(campaign=campaign)
    item.order, item.name, item.source, item.weight = data["order"], data["name"].strip(), data["source"], data["weight"]
    item.save()
    record(
        actor,
        OversightAudit.ASSESSMENT_ITEM_SAVE,
        item,
        changes={"权重": [before.get("权重", ""), str(item.weight)], "名称": [before.get("名称", ""), item.name]},
        town=campaign.town,
    )
    return item


@transaction.atomic
def seed_assessment_items(actor, campaign) -> list[AssessmentItem]:
    """The default items (when the campaign has none yet)."""
    from .assessment import DEFAULT_ITEMS

    refuse_unless(may_assess(actor) and _visible_campaign(actor, campaign), "只有镇党建办可以设置考核项目。")
    if AssessmentItem.objects.filter(campaign=campaign).exists():
        raise Conflict(["已设置考核项目。"])
    items = [
        save_assessment_item(actor, campaign, {"order": i, "name": name, "source": source, "weight": weight})
        for i, (name, source, weight) in enumerate(DEFAULT_ITEMS, start=1)
    ]
    return items


@transaction.atomic
def delete_assessment_item(actor, item: AssessmentItem) -> None:
    refuse_unless(may_assess(actor) and _visible_campaign(actor, item.campaign), "只有镇党建办可以设置考核项目。")
    record(actor, OversightAudit.ASSESSMENT_ITEM_DELETE, item, changes={"权重": [str(item.weight), ""]}, town=item.campaign.town)
    item.delete()


def set_manual_score_blockers(actor, item: AssessmentItem, org, score) -> list[str]:
    blockers = []
    if item.source != AssessmentSource.MANUAL:
        blockers.append(f"“{item.name}”由系统按事实计分，不能人工评分。")
    if org is None or not org.path.startswith(item.campaign.town.path) or org.level not in BRANCH_LEVELS:
        blockers.append("请选择本镇的党支部。")
    if score is None or not isinstance(score, Decimal) or not score.is_finite() or not 0 <= score <= 100:
        blockers.append(f"得分应在 0 到 100 之间（当前 {score}）。")
    return blockers


@transaction.atomic
def set_manual_score(actor, item: AssessmentItem, org, score: Decimal, note: str = "") -> ManualScore:
    refuse_unless(may_assess(actor) and _visible_campaign(actor, item.campaign), "只有镇党建办可以评分。")
    if org is not None and not Organization.objects.visible_to(actor).filter(pk=org.pk).exists():
        org = None
    refuse(set_manual_score_blockers(actor, item, org, score) + _control_chars(note))
    row = ManualScore.objects.select_for_update().filter(item=item, org=org).first()
    before = "" if row is None else str(row.score)
    row = row or ManualScore(item=item, org=org)
    row.score, row.note, row.scored_by = score, (note or "").strip()[:200], actor
    row.save()
    record(actor, OversightAudit.ASSESSMENT_SCORE, row, changes={"得分": [before, str(score)]}, note=row.note, town=item.campaign.town)
    return row
