"""The audit log as a hash chain: every row carries the previous row's hash; tampering is found at its row."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from apps.audit.chain import GENESIS, row_hash, verify
from apps.audit.log import entry, record
from apps.audit.models import AuditChainHead, AuditLog, ReadOnlyAuditRow
from apps.orgs import actions as org_actions
from apps.orgs.choices import Grade

from .roster_files import person, xlsx
from .test_roster_import import confirm, preview


def _rows(world, n: int) -> list[AuditLog]:
    return [record(world.office, "org.update", world.village, town=world.town, note=f"第{i}次") for i in range(n)]


def _raw_update(pk: int, column: str, value) -> None:
    """An edit straight in the database, around the application (what an attacker with DB access does)."""
    table = AuditLog._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608 - test


def _verify_command() -> tuple[int, str]:
    try:
        call_command("verify_audit")
    except SystemExit as exit_:
        return exit_.code, ""
    return 0, ""


def test_each_row_links_to_the_previous(world):
    rows = _rows(world, 3)
    chain = list(AuditLog.objects.order_by("seq"))
    assert [r.seq for r in chain] == list(range(1, len(chain) + 1))
    assert chain[0].prev_hash == GENESIS
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.row_hash
    assert AuditChainHead.objects.get(pk=1).hash == rows[-1].row_hash
    assert verify().intact and verify().checked == len(chain)


def test_editing_a_row_in_the_database_breaks_the_chain_at_that_row(world, capsys):
    rows = _rows(world, 5)
    assert _verify_command()[0] == 0
    _raw_update(rows[2].pk, "note", "改过的说明")
    verdict = verify()
    assert not verdict.intact
    assert (verdict.broken.seq, verdict.broken.pk) == (rows[2].seq, rows[2].pk)
    assert verdict.checked == rows[2].seq - 1, "every row before the edited one still checks"
    code, _ = _verify_command()
    assert code == 1
    assert f"序号 {rows[2].seq}" in capsys.readouterr().err


@pytest.mark.parametrize("column, value", [("changes", '{"x": ["a", "b"]}'), ("actor_label", "别人"), ("action", "org.create")])
def test_any_hashed_column_is_covered(world, column, value):
    rows = _rows(world, 3)
    _raw_update(rows[1].pk, column, value)
    assert verify().broken.pk == rows[1].pk


def test_deleting_a_row_or_the_newest_rows_is_found(world):
    rows = _rows(world, 4)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditLog._meta.db_table} WHERE id = %s", [rows[1].pk])  # noqa: S608 - test
    assert verify().broken.seq == rows[1].seq
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditLog._meta.db_table} WHERE id >= %s", [rows[1].pk])  # noqa: S608 - test
    broken = verify().broken
    assert broken is not None and broken.pk is None, "the head still names the deleted tail"


def test_a_forged_row_with_a_recomputed_hash_still_breaks_the_next_link(world):
    rows = _rows(world, 3)
    forged = row_hash(rows[1].seq, rows[1].prev_hash, {"at": rows[1].at, "action": "org.update", "note": "伪造"})
    _raw_update(rows[1].pk, "row_hash", forged)
    assert verify().broken.pk == rows[1].pk


def test_rows_cannot_be_edited_or_deleted_through_the_system(world):
    row = record(world.office, "org.update", world.village, town=world.town)
    row.note = "改"
    with pytest.raises(ReadOnlyAuditRow):
        row.save()
    with pytest.raises(ReadOnlyAuditRow):
        row.delete()
    assert AuditLog.objects.get(pk=row.pk).note == ""
    assert verify().intact


def test_bulk_writes_join_the_chain_in_one_pass(world):
    logs = [entry(world.office, "org.update", world.village, town=world.town, note=str(i)) for i in range(50)]
    with transaction.atomic():
        AuditLog.objects.bulk_create(logs)
    assert verify().intact
    org_actions.record_appraisal(world.secretary, world.member, 2024, Grade.EXCELLENT)
    assert verify().intact


def test_roster_import_rows_join_the_chain(world, login):
    client = login(world.office)
    people = [person(i, "东岭村党支部") for i in range(1, 4)]
    headers = list(people[0])
    batch, _ = preview(client, xlsx([headers, *[[p[h] for h in headers] for p in people]]), "花名册.xlsx")
    confirm(client, batch)
    assert AuditLog.objects.filter(action="member.create").count() >= 3
    assert verify().intact


def test_chain_page_shows_intact_or_where_it_breaks(world, login):
    rows = _rows(world, 3)
    client = login(world.office)
    assert "审计链完整" in client.get("/audit/chain/").content.decode()
    _raw_update(rows[1].pk, "target_repr", "别的村")
    body = client.get("/audit/chain/").content.decode()
    assert "断开" in body and f"记录编号 {rows[1].pk}" in body
    assert login(world.secretary).get("/audit/chain/").status_code == 403


def test_retention_is_at_least_six_months(settings):
    assert settings.AUDIT_RETENTION_DAYS >= 183


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(world):
    """Writers in several threads (own connections) append in turn: one chain, numbers without gaps.
    PostgreSQL only (scripts/with-postgres.sh): in-memory SQLite fails concurrent writers instead of queueing."""
    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite test database; run under scripts/with-postgres.sh")
    errors: list[Exception] = []

    def write(n):
        try:
            for i in range(5):
                with transaction.atomic():
                    record(world.office, "org.update", world.village, town=world.town, note=f"{n}-{i}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert verify().intact
    assert AuditLog.objects.filter(note__contains="-").count() == 20


def test_the_chain_heads_plain_sql_names_its_table_and_columns():
    """link() moves the head in plain SQL (the hot path of every ballot): the names must be the model's."""
    from apps.audit import chain
    from apps.audit.models import AuditChainHead

    meta = AuditChainHead._meta
    for sql in (chain.HEAD_SQL, chain.HEAD_UPDATE_SQL):
        assert f" {meta.db_table} " in f" {sql} "
    assert {f.column for f in meta.concrete_fields} >= {"id", "seq", "hash"}
