"""Races of the electronic ballot, on SQLite and PostgreSQL (run this file under scripts/with-postgres.sh
too): one code used by 50 threads gives exactly one ballot; closing while ballots arrive gives a count equal
to the accepted ballots.

On PostgreSQL the threads run in this process against the test database (transaction=True). pytest's SQLite
test database lives in memory, where concurrent writers fail with "table is locked" instead of waiting, so
on SQLite the same races run in a child process against a file database in WAL mode, as deployed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from . import meetings_race

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def check_one_code(r: dict) -> None:
    assert r["outcomes"] == {"ok": 1, "conflict": 49}, r
    assert r["ballots"] == 1 and r["used_codes"] == 1, r


def check_close(r: dict) -> None:
    assert r["close"] == "ok", r
    assert set(r["outcomes"]) <= {"ok", "closed"}, r
    assert r["status"] == "closed", r
    assert r["used"] == r["accepted"] == r["ballots"] == r["used_codes"] == r["votes"], r  # one choice per ballot


@pytest.fixture(scope="module")
def sqlite_file_races(tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"SQLITE_PATH": str(tmp_path_factory.mktemp("race") / "race.sqlite3"), "TESTING": "1", "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.meetings_race"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _in_process(world, fn):
    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite: the SQLite run is the *_sqlite_file test")
    return fn(world)


def test_one_code_used_by_50_threads_gives_one_ballot(world):
    check_one_code(_in_process(world, meetings_race.one_code_race))


def test_close_racing_with_ballots_counts_exactly_the_accepted(world):
    check_close(_in_process(world, meetings_race.close_race))


def test_one_code_used_by_50_threads_gives_one_ballot_sqlite_file(sqlite_file_races):
    assert sqlite_file_races["vendor"] == "sqlite"
    check_one_code(sqlite_file_races["one_code"])


def test_close_racing_with_ballots_sqlite_file(sqlite_file_races):
    check_close(sqlite_file_races["close"])
