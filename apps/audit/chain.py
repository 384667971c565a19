"""The audit log as a hash chain: every row carries the hash of the row before it.

Appending takes the one chain-head row FOR UPDATE inside the writer's transaction, so concurrent writers
queue behind each other (PostgreSQL row lock; SQLite already runs one writer at a time) and the chain
never forks. A row's hash covers its content and the previous hash; editing, inserting or deleting a row
anywhere breaks the chain at that row, and deleting the newest rows breaks the match with the head.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

GENESIS = "0" * 64
# The chain head (models.AuditChainHead, one row), read and moved in plain SQL on every audited write.
HEAD_SQL = "SELECT seq, hash FROM audit_auditchainhead WHERE id = 1"
HEAD_UPDATE_SQL = "UPDATE audit_auditchainhead SET seq = %s, hash = %s WHERE id = 1"
# The content a row's hash covers. Foreign keys are left out: deleting a user or an organization sets
# them to NULL; the actor's name and username are in actor_label, which is covered.
HASHED = ("at", "actor_label", "action", "target_type", "target_id", "target_repr", "changes", "note", "ip")


def _text(name: str, value: Any) -> Any:
    if value is None:
        return ""
    if name == "at":
        return value.astimezone(dt.UTC).isoformat()
    if name == "changes":
        return value or {}
    return str(value)


def row_hash(seq: int, prev_hash: str, values: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the row's content, its sequence number and the previous hash."""
    content = {name: _text(name, values.get(name)) for name in HASHED} | {"seq": seq, "prev": prev_hash}
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()


def _values(row) -> dict[str, Any]:
    return row if isinstance(row, dict) else {name: getattr(row, name) for name in HASHED}


def link(rows: list) -> None:
    """Give each row (AuditLog instances or the attname dicts of roster/bulk.py) its place in the chain.

    Must run inside the transaction that inserts the rows: the head stays locked until it commits."""
    from .models import AuditChainHead

    if not rows:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit rows are linked inside the transaction that writes them")
    connection = transaction.get_connection()
    lock = connection.features.has_select_for_update  # SQLite: the writer already holds the database
    with connection.cursor() as cursor:  # the hot path of every audited write (a ballot): plain SQL
        cursor.execute(HEAD_SQL + (" FOR UPDATE" if lock else ""))
        found = cursor.fetchone()
    if found is None:
        AuditChainHead.objects.create(pk=1, seq=0, hash=GENESIS)
        found = (0, GENESIS)
    seq, prev = found
    now = timezone.now()
    for row in rows:
        seq += 1
        if isinstance(row, dict):
            row.setdefault("at", now)
            current = row_hash(seq, prev, row)
            row.update(seq=seq, prev_hash=prev, row_hash=current)
        else:
            row.at = row.at or now
            current = row_hash(seq, prev, _values(row))
            row.seq, row.prev_hash, row.row_hash = seq, prev, current
        prev = current
    with connection.cursor() as cursor:
        cursor.execute(HEAD_UPDATE_SQL, [seq, prev])
    held = _held_mark.get()
    if held:
        held.clear()  # this request's own write: read the head afresh


def head_mark() -> str:
    """Where the audit chain stands: the last row's sequence number and hash ("0" before the first row). It moves
    with every audited change, so whatever was computed from the actions' data under one mark still holds while
    the mark stays (apps/audit/memo.py). The hash, not the number alone: a database emptied and filled again
    (a test, a restore) reaches the same number with other rows.

    Within a read-only request (`head_read_once`) the mark is read once, before anything the request keeps was
    computed, and read again after an audited write of the request's own (`link` forgets it)."""
    held = _held_mark.get()
    if held:
        return held[0]
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(HEAD_SQL)
        found = cursor.fetchone()
    mark = mark_of(*found) if found else "0"
    if held is not None:
        held.append(mark)
    return mark


def mark_of(seq: int | None, hash_: str | None) -> str:
    return "0" if seq is None else f"{seq}-{hash_[:16]}"


def head_columns() -> dict[str, RawSQL]:
    """The head as two columns of another query, `head_seq` and `head_hash` (None before the first row), for
    `mark_of`: a signed-in request reads it with its session (apps/accounts/sessions.py), one round trip less."""
    return {
        "head_seq": RawSQL("SELECT seq FROM audit_auditchainhead WHERE id = 1", (), output_field=models.BigIntegerField()),
        "head_hash": RawSQL("SELECT hash FROM audit_auditchainhead WHERE id = 1", (), output_field=models.CharField()),
    }


# The mark read in this request (a list of at most one), or None outside a read-only request.
_held_mark: ContextVar[list[str] | None] = ContextVar("audit_head_mark_of_request", default=None)


@contextmanager
def head_read_once(request):
    """Within a read-only request (apps.audit.memo.ReadOnlyRequest), the audit head is read once, however many kept
    values its page reads (each read was a database round trip, ~0.15 ms on PostgreSQL). A change committed by
    another request meanwhile is seen by the next request, as it would be had it come a moment later; a write of
    this request's own moves it at once (`link`).

    A signed-in request has read it already, with its session (`head_mark` of the session store): that read is the
    request's mark, so the head costs no round trip of its own."""
    # Only a session loaded already: this must not read one an anonymous request has no use for.
    read = getattr(getattr(request, "session", None), "head_mark", None)
    token = _held_mark.set([] if read is None else [read])
    try:
        yield
    finally:
        _held_mark.reset(token)


@dataclass(frozen=True)
class Break:
    seq: int
    pk: int | None
    reason: str


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _rows() -> Iterator[tuple[int, int, str, str, dict]]:
    from .models import AuditLog

    fields = ("pk", "seq", "prev_hash", "row_hash", *HASHED)
    for values in AuditLog.objects.order_by("seq", "pk").values(*fields).iterator(chunk_size=5000):
        yield values["pk"], values["seq"], values["prev_hash"], values["row_hash"], values


def verify(rows: Iterable | None = None) -> Verdict:
    """Walk the chain from the first row; the first row whose hash, link or number is wrong is the break."""
    from .models import AuditChainHead

    expected_seq, prev, checked = 1, GENESIS, 0
    for pk, seq, prev_hash, stored, values in rows if rows is not None else _rows():
        if seq != expected_seq:
            missing = "缺少" if seq is not None and seq > expected_seq else "序号异常"
            return Verdict(checked, Break(expected_seq, pk, f"第 {expected_seq} 条{missing}（此处为序号 {seq}）：记录被删除或插入"))
        if prev_hash != prev:
            return Verdict(checked, Break(seq, pk, f"第 {seq} 条的前序哈希与上一条不符：前一条被改动或删除"))
        if row_hash(seq, prev_hash, values) != stored:
            return Verdict(checked, Break(seq, pk, f"第 {seq} 条的内容与其哈希不符：该条被改动"))
        prev, expected_seq, checked = stored, expected_seq + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (checked, prev):
        return Verdict(checked, Break(checked + 1, None, f"链尾与链头记录不符（链头为第 {head_seq} 条）：最新的记录被删除"))
    return Verdict(checked, None)
