"""State changes of the roster import and export. Views and management commands call these.

`apply_import` is the one function that writes an uploaded roster: it evaluates the previewed rows
again against the database of this moment, refuses if the outcome differs from the preview or has an
error row, and writes every member (or every appraisal) and its audit rows in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.audit.chain import link
from apps.audit.log import entry, record
from apps.audit.models import AuditLog
from apps.core.actions import ActionError, refuse_unless
from apps.core.idcard import mask_id
from apps.orgs.audit import OrgAudit
from apps.orgs.choices import Category, MemberStatus
from apps.orgs.models import Appraisal, Member, Organization

from . import bulk
from .audit import RosterAudit
from .choices import BatchStatus, ImportKind, RowStatus
from .import_scope import ImportScope, import_scope
from .models import ImportBatch
from .plan import LABELS, ROSTER_FIELDS, Plan, evaluate, to_payload

WRITE_BATCH = 1000
CONCURRENT_CLASH = "导入时发现身份证号与在册党员重复（可能有人同时录入），未导入任何数据。请重新上传文件预览。"
NEW_MEMBER_DEFAULTS = {"ethnicity": "汉族", "category": Category.FORMAL, "phone": "", "education": "", "post": ""}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    transferred: int = 0

    def summary(self, kind: str) -> str:
        noun = "条评议结果" if kind == ImportKind.APPRAISALS else "名党员"
        text = f"新增 {self.created} {noun}，更新 {self.updated} {noun}，未变 {self.unchanged} {noun}"
        if self.transferred:
            text += f"，标记转出 {self.transferred} 名党员"
        return text + "。"


def save_preview(actor, plan: Plan, scope: ImportScope) -> ImportBatch:
    """Keep the previewed rows (not the file) until the user confirms or cancels."""
    ImportBatch.objects.purge_stale()
    with bulk.gc_paused():
        return ImportBatch.objects.create(
            kind=plan.kind,
            created_by=actor,
            scope=scope.root,
            file_name=plan.file_name[:200],
            file_size=plan.size,
            sha256=plan.sha256,
            counts=plan.counts,
            payload=to_payload(plan),
        )


@transaction.atomic
def cancel_import(actor, batch: ImportBatch) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    refuse_unless(batch.created_by_id == getattr(actor, "pk", None), "只能取消自己上传的导入。")
    if batch.status == BatchStatus.PREVIEW:
        batch.status = BatchStatus.CANCELLED
        batch.payload = None
        batch.save(update_fields=["status", "payload"])
    return batch


def apply_import(
    actor, plan: Plan, *, mark_transferred: frozenset[int] | set[int] = frozenset(), batch: ImportBatch | None = None
) -> ImportResult:
    """Write a previewed roster: all rows or none. `actor` None is a management command run by IT staff."""
    with bulk.gc_paused(), transaction.atomic():
        return _apply_import(actor, plan, set(mark_transferred), batch)


def _apply_import(actor, plan: Plan, mark_transferred: set[int], batch: ImportBatch | None) -> ImportResult:
    if batch is not None:
        batch = ImportBatch.objects.select_for_update().defer("payload").get(pk=batch.pk)
        refuse_unless(batch.created_by_id == getattr(actor, "pk", None), "只能确认自己上传的导入。")
        if not batch.is_open:
            raise ActionError(f"该导入{batch.get_status_display()}，不能再确认。请重新上传文件。")
    root = Organization.objects.filter(pk=plan.scope_id).first() if plan.scope_id else None
    if plan.scope_id and root is None:
        raise ActionError("导入范围的党组织已不存在，请重新上传文件。")
    scope = import_scope(actor, root)
    if connection.features.has_select_for_update:
        # Lock the members this import may touch (SQLite's write transaction already locks the whole file).
        list(scope.members().filter(status=MemberStatus.ACTIVE).select_for_update(of=("self",)).values_list("pk", flat=True))
    fresh = evaluate(plan.inputs(), scope)
    if fresh.digest != plan.digest:
        raise ActionError("自预览以来，党员名册或党组织已有变动，预览结果已不准确。请重新上传文件预览后再导入。")
    errors = fresh.counts[RowStatus.ERROR]
    if errors:
        raise ActionError(f"文件中有 {errors} 行错误，未导入任何数据。请修正后重新上传。")
    if mark_transferred - {m["pk"] for m in fresh.missing}:
        raise ActionError("所选党员不在“可能已转出”名单中，请重新预览。")
    if plan.kind == ImportKind.APPRAISALS:
        result = _write_appraisals(actor, fresh, scope)
    else:
        result = _write_members(actor, fresh, scope, mark_transferred)
    record(
        actor,
        RosterAudit.IMPORT_APPRAISALS if plan.kind == ImportKind.APPRAISALS else RosterAudit.IMPORT,
        batch,
        target_type="roster.importbatch",
        target_repr=plan.file_name[:200],
        changes={
            "文件": ["", plan.file_name],
            "导入范围": ["", plan.scope_label],
            "新增": ["", result.created],
            "变更": ["", result.updated],
            "未变": ["", result.unchanged],
            **({"标记转出": ["", result.transferred]} if result.transferred else {}),
        },
        note=f"文件 SHA-256 {plan.sha256[:16]}…，共 {len(plan.rows)} 行。{'命令行导入。' if actor is None else ''}",
        town=_town(scope, scope.root.pk) if scope.root is not None else None,
    )
    if batch is not None:
        batch.status = BatchStatus.APPLIED
        batch.applied_at = timezone.now()
        batch.payload = None
        batch.counts = fresh.counts | {"transferred": result.transferred}
        batch.save(update_fields=["status", "applied_at", "payload", "counts"])
    return result


def _write_members(actor, plan: Plan, scope: ImportScope, mark_transferred: set[int]) -> ImportResult:
    """New members and their audit rows go in with one INSERT statement each (bulk.py); changed ones likewise."""
    today, now = timezone.localdate(), timezone.now()
    base = entry(actor, OrgAudit.MEMBER_CREATE)  # the actor columns, as record() writes them
    log = {"at": now, "actor_id": base.actor_id, "actor_label": base.actor_label, "target_type": "orgs.member"}
    log["note"] = f"花名册导入：{plan.file_name}"
    result = ImportResult(unchanged=sum(1 for r in plan.rows if r.status == RowStatus.UNCHANGED))
    logs: list[dict] = []

    new_rows = [r for r in plan.rows if r.status == RowStatus.NEW]
    if new_rows:
        try:
            with transaction.atomic():
                bulk.insert(Member, (_new_member(row, now) for row in new_rows))
        except IntegrityError:
            raise ActionError(CONCURRENT_CLASH) from None
        pks = dict(Member.objects.filter(created_at=now, status=MemberStatus.ACTIVE).values_list("id_number", "pk"))
        for row in new_rows:
            changes = _created(row.final, scope.orgs[row.branch_id].name)
            logs.append(log | _target(pks[row.final["id_number"]], row, OrgAudit.MEMBER_CREATE, changes, scope))
        result.created = len(new_rows)

    changed = [r for r in plan.rows if r.status == RowStatus.CHANGED]
    if changed:
        updates = []
        for row in changed:
            values = {name: row.final[name] for name in ROSTER_FIELDS} | {"pk": row.member_id, "branch_id": row.branch_id}
            values |= {"status": row.final["status"], "status_changed_on": row.final.get("status_changed_on"), "updated_at": now}
            if LABELS["status"] in row.changes:
                values["status_changed_on"] = today
            updates.append(values)
            moved = LABELS["branch"] in row.changes or LABELS["status"] in row.changes
            action = OrgAudit.MEMBER_TRANSFER if moved else OrgAudit.MEMBER_UPDATE
            logs.append(log | _target(row.member_id, row, action, row.changes, scope))
        try:
            with transaction.atomic():
                bulk.update(Member, [*ROSTER_FIELDS, "branch", "status", "status_changed_on", "updated_at"], updates)
        except IntegrityError:
            raise ActionError(CONCURRENT_CLASH) from None
        result.updated = len(changed)

    if mark_transferred:
        leaving = list(Member.objects.filter(pk__in=mark_transferred, status=MemberStatus.ACTIVE).values("pk", "name", "branch_id"))
        Member.objects.filter(pk__in=[m["pk"] for m in leaving]).update(
            status=MemberStatus.TRANSFERRED, status_changed_on=today, updated_at=now
        )
        left = log | {
            "action": OrgAudit.MEMBER_TRANSFER.value,
            "changes": {LABELS["status"]: [MemberStatus.ACTIVE.label, MemberStatus.TRANSFERRED.label]},
            "note": f"{log['note']}（文件中没有该党员，导入时确认转出）",
        }
        logs.extend(left | {"target_id": str(m["pk"]), "target_repr": m["name"], "town_id": scope.town_of(m["branch_id"])} for m in leaving)
        result.transferred = len(leaving)
    link(logs)  # the audit hash chain, in the same pass
    bulk.insert(AuditLog, logs)
    return result


def _new_member(row, now) -> dict:
    values = NEW_MEMBER_DEFAULTS | {k: v for k, v in row.final.items() if k in ROSTER_FIELDS and v not in (None, "")}
    return values | {
        "id_number": row.final["id_number"],
        "branch_id": row.branch_id,
        "status": MemberStatus.ACTIVE,
        "created_at": now,
        "updated_at": now,
    }


def _target(pk: int, row, action: str, changes: dict, scope: ImportScope) -> dict:
    return {
        "action": action.value,  # plain text for executemany (bulk.insert)
        "target_id": str(pk),
        "target_repr": row.final["name"][:200],
        "town_id": scope.town_of(row.branch_id),
        "changes": changes,
    }


def _created(values: dict, branch_name: str) -> dict[str, list[str]]:
    """A new member's audit changes: who it is and where. The full record is the member itself, and the
    import's own audit row names the file (with its SHA-256) every value came from."""
    return {
        LABELS["name"]: ["", values["name"]],
        LABELS["id_number"]: ["", mask_id(values["id_number"])],
        LABELS["branch"]: ["", branch_name],
    }


def _town(scope: ImportScope, org_id: int) -> Organization | None:
    town_id = scope.town_of(org_id)
    return Organization(pk=town_id) if town_id else None


def _write_appraisals(actor, plan: Plan, scope: ImportScope) -> ImportResult:
    """A branch's or a town's grades for a year: a few hundred rows, so the ORM's bulk methods do."""
    now = timezone.now()
    rows = [r for r in plan.rows if r.status in (RowStatus.NEW, RowStatus.CHANGED)]
    members = Member.objects.in_bulk([r.member_id for r in rows])
    existing = Appraisal.objects.in_bulk([r.final["appraisal_id"] for r in rows if r.final["appraisal_id"]])
    written: list[tuple] = []
    for row in rows:
        final = row.final
        if row.status == RowStatus.NEW:
            appraisal = Appraisal(member=members[row.member_id], year=final["year"], grade=final["grade"], note=final["note"] or "")
        else:
            appraisal = existing[final["appraisal_id"]]
            appraisal.grade = final["grade"]
            if final["note"] is not None:
                appraisal.note = final["note"]
        appraisal.recorded_by = actor
        appraisal.recorded_at = now
        written.append((row, appraisal))
    Appraisal.objects.bulk_create([a for r, a in written if r.status == RowStatus.NEW], batch_size=WRITE_BATCH)
    changed = [a for r, a in written if r.status == RowStatus.CHANGED]
    Appraisal.objects.bulk_update(changed, ["grade", "note", "recorded_by", "recorded_at"], batch_size=WRITE_BATCH)
    logs = []
    for row, appraisal in written:
        created = row.status == RowStatus.NEW
        changes = row.changes
        if created:
            changes = {"党员": ["", row.name], "年度": ["", appraisal.year], "评议等次": ["", appraisal.get_grade_display()]}
        action = OrgAudit.APPRAISAL_CREATE if created else OrgAudit.APPRAISAL_UPDATE
        logs.append(
            entry(actor, action, appraisal, changes=changes, note=f"民主评议结果导入：{plan.file_name}", town=_town(scope, row.branch_id))
        )
    AuditLog.objects.bulk_create(logs, batch_size=WRITE_BATCH)
    unchanged = sum(1 for r in plan.rows if r.status == RowStatus.UNCHANGED)
    return ImportResult(created=len(written) - len(changed), updated=len(changed), unchanged=unchanged)


@transaction.atomic
def record_export(actor, *, count: int, what: str, full: bool, town: Organization | None = None) -> None:
    """A full export (complete ID numbers and phones) leaves an audit row; a masked one needs none."""
    if full:
        refuse_unless(actor is None or actor.manages_members, "您无权导出完整身份证号。")
        record(
            actor,
            RosterAudit.EXPORT_FULL,
            target_type="roster.export",
            target_repr=what[:200],
            changes={"导出人数": ["", count]},
            note=f"导出含完整身份证号和联系电话的名册：{what}。{'命令行导出。' if actor is None else ''}",
            town=town,
        )
