"""Durability: backup and restore drill; a server killed with SIGKILL while 100 voters vote loses no
acknowledged ballot. Both run the real commands and the real server in child processes against file
databases, as deployed (SQLite in WAL mode)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from apps.meetings.rules import code_digest

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def _env(db: Path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEMO_MODE"}}
    return env | {"SQLITE_PATH": str(db), "TESTING": "1"} | extra


def _manage(db: Path, *args: str, check: bool = True, **extra) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=_env(db, **extra), capture_output=True, text=True, timeout=600, check=False
    )
    if check:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def _setup(db: Path, *args: str, **extra) -> str:
    done = subprocess.run(
        [PY, "-m", "tests.durability_setup", *args],
        cwd=ROOT,
        env=_env(db, **extra),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608 - table names
    finally:
        con.close()


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    """One migrated database per module; each test works on a copy."""
    db = tmp_path_factory.mktemp("durability") / "template.sqlite3"
    _manage(db, "migrate", "--noinput", "-v0")
    return db


def _copy(template: Path, target: Path) -> Path:
    con, dest = sqlite3.connect(template), sqlite3.connect(target)
    con.backup(dest)
    con.close(), dest.close()
    return target


def test_backup_restore_drill(template_db, tmp_path):
    live = _copy(template_db, tmp_path / "live.sqlite3")
    _setup(live, "demo", DEMO_MODE="1")
    backup = tmp_path / "backup" / "shifan.bak"
    assert "已备份" in _manage(live, "backup", str(backup)).stdout
    assert _manage(live, "backup", str(backup), check=False).returncode != 0, "an existing file is not overwritten"

    scratch = tmp_path / "scratch.sqlite3"
    _manage(scratch, "restore", str(backup))
    before, after = _counts(live), _counts(scratch)
    assert after == before
    assert after["audit_auditlog"] > 0 and after["orgs_member"] > 0
    assert "审计链完整" in _manage(scratch, "verify_audit").stdout

    # The restored chain is checked for real: a row edited in the restored copy is found.
    con = sqlite3.connect(scratch)
    con.execute("UPDATE audit_auditlog SET note = 'x' WHERE seq = 3")
    con.commit(), con.close()
    broken = _manage(scratch, "verify_audit", check=False)
    assert broken.returncode == 1 and "序号 3" in broken.stderr

    garbage = tmp_path / "garbage.bak"
    garbage.write_bytes(b"not a database" * 100)
    refused = _manage(scratch, "restore", str(garbage), check=False)
    assert refused.returncode != 0 and "备份" in refused.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(db: Path, port: int) -> subprocess.Popen:
    env = _env(db, SECRET_KEY="durability-test-" + "k" * 50, ALLOWED_HOSTS="127.0.0.1")
    env.pop("TESTING")
    server = subprocess.Popen(  # noqa: S603 - the project's own server
        [GUNICORN, "-c", str(ROOT / "config" / "gunicorn.conf.py"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: SIGKILL reaches the master and the workers
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    pytest.fail("the server did not start")


def _vote(port: int, code: str, choice: int) -> int:
    body = json.dumps({"code": code, "choices": [choice]}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/ballots", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local server
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0  # connection refused or reset: the server is gone, not acknowledged


@pytest.mark.skipif(not Path(GUNICORN).exists(), reason="gunicorn not installed")
def test_sigkill_while_100_voters_vote_loses_no_acknowledged_ballot(template_db, tmp_path):
    db = _copy(template_db, tmp_path / "poll.sqlite3")
    poll = json.loads(_setup(db, "poll", "100").strip().splitlines()[-1])
    codes, cands = poll["codes"], poll["candidates"]
    assert len(codes) == 100
    port = _free_port()
    server = _start_server(db, port)
    acknowledged: list[str] = []
    lock = threading.Lock()
    killed = threading.Event()

    def voter(i: int) -> None:
        status = _vote(port, codes[i], cands[i % len(cands)])
        with lock:
            if status == 201:
                acknowledged.append(codes[i])
            if len(acknowledged) >= 40 and not killed.is_set():
                killed.set()
                os.killpg(server.pid, signal.SIGKILL)

    try:
        threads = [threading.Thread(target=voter, args=(i,)) for i in range(100)]
        for t in threads:
            t.start()
            time.sleep(0.01)
        for t in threads:
            t.join(120)
    finally:
        if not killed.is_set():
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(30)
    assert killed.is_set(), "the server was killed mid-way"
    assert 40 <= len(acknowledged) < 100, len(acknowledged)

    # Restart on the same database: every acknowledged ballot is there, and its code stays spent.
    port = _free_port()
    server = _start_server(db, port)
    try:
        con = sqlite3.connect(db)
        ballots = con.execute("SELECT COUNT(*) FROM meetings_ballot WHERE round_id = ?", [poll["round"]]).fetchone()[0]
        used = {r[0] for r in con.execute("SELECT digest FROM meetings_ballotcode WHERE used = 1 AND round_id = ?", [poll["round"]])}
        con.close()
        assert ballots >= len(acknowledged)
        assert ballots == len(used), "one ballot per spent code, nothing half-written"
        assert {code_digest(c) for c in acknowledged} <= used
        assert _vote(port, acknowledged[0], cands[0]) == 409
        unused = [c for c in codes if code_digest(c) not in used]
        assert _vote(port, unused[0], cands[0]) == 201, "the restarted server takes the remaining voters"
        # Each ballot wrote an audit row from 2 worker processes × 4 threads, and the kill came mid-write:
        # the chain is still one unbroken line.
        assert "审计链完整" in _manage(db, "verify_audit").stdout
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(30)
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.mark.django_db(transaction=True)
def test_postgres_backup_restore_drill(world, tmp_path):
    """PostgreSQL (scripts/with-postgres.sh): pg_dump of the test database, pg_restore into a scratch database."""
    from django.core.management import call_command
    from django.db import connection

    from apps.audit.log import record
    from apps.audit.models import AuditLog

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only; the SQLite drill is test_backup_restore_drill")
    for i in range(5):
        record(world.office, "org.update", world.village, town=world.town, note=str(i))
    backup = tmp_path / "pg.dump"
    call_command("backup", str(backup))
    scratch = f"{connection.settings_dict['NAME']}_scratch"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{scratch}"
    env = {"DATABASE_URL": url, "SECRET_KEY": "drill-" + "k" * 50}
    try:
        for args in (("restore", str(backup)), ("verify_audit",)):
            done = subprocess.run(
                [PY, "manage.py", *args], cwd=ROOT, env=os.environ | env, capture_output=True, text=True, timeout=300, check=False
            )
            assert done.returncode == 0, done.stderr[-2000:]
        assert "审计链完整" in done.stdout
        count = subprocess.run(
            [PY, "manage.py", "shell", "-c", "from apps.audit.models import AuditLog; print(AuditLog.objects.count())"],
            cwd=ROOT,
            env=os.environ | env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        assert int(count.stdout.strip().splitlines()[-1]) == AuditLog.objects.count()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
