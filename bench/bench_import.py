#!/usr/bin/env python3
"""Roster import at town scale: a generated 30,000-row .xlsx, previewed and imported.

The baseline is what openpyxl alone needs to read the same file in read-only mode, measured in the
same run on the same machine; the target is preview + import within 2× that, and peak memory under
500 MB. Each step runs in its own process on its own throwaway SQLite database, so the peak memory
(maxrss) is that of the import alone and no other benchmark's Django set-up gets in the way.

    TESTING=1 .venv/bin/python bench/run.py bench_import
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 30_000
TARGET_RATIO = 2.0
TARGET_MB = 500
FILE_NAME = "bench_roster.xlsx"
OFFICE = "bench_office"


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="roster-bench-") as tmp:
        work = Path(tmp)
        prepared = _child("prepare", work, work / "base.sqlite3")
        baselines = [_child("baseline", work, work / "base.sqlite3") for _ in range(2)]
        baseline = min(b["seconds"] for b in baselines)
        baseline_cpu = min(b["cpu"] for b in baselines)
        runs = []
        for attempt in range(2):
            db = work / f"run{attempt}.sqlite3"
            shutil.copy(work / "base.sqlite3", db)
            runs.append(_child("import", work, db))
        best = min(runs, key=lambda r: r["preview"] + r["apply"])
        again = _child("reimport", work, work / "run0.sqlite3")
    total = best["preview"] + best["apply"]
    ratio = total / baseline
    cpu = min(r["cpu"] for r in runs)
    peak = max(r["peak_mb"] for r in runs)
    name = "bench_import"
    print(
        f"  {ROWS} rows, {prepared['megabytes']:.1f} MB: openpyxl read-only {baseline:.2f} s; "
        f"preview {best['preview']:.2f} s + import {best['apply']:.2f} s = {total:.2f} s; ratio {ratio:.2f} (target ≤ {TARGET_RATIO}); "
        f"CPU time {cpu:.2f} s against {baseline_cpu:.2f} s, ratio {cpu / baseline_cpu:.2f}; "
        f"peak {peak:.0f} MB (target < {TARGET_MB}); re-import preview {again['preview']:.2f} s, {again['counts']}",
        flush=True,
    )
    return [
        {"benchmark": name, "measure": f"openpyxl read-only, {ROWS} rows (baseline)", "value": baseline, "unit": "s"},
        {"benchmark": name, "measure": "preview (read, check, store)", "value": best["preview"], "unit": "s"},
        {"benchmark": name, "measure": "import (re-check, write)", "value": best["apply"], "unit": "s"},
        {
            "benchmark": name,
            "measure": "preview + import",
            "value": total,
            "unit": "s",
            "baseline": baseline,
            "ratio": ratio,
            "target": f"≤ {TARGET_RATIO}×",
            "ok": ratio <= TARGET_RATIO and best["counts"]["new"] == ROWS,
        },
        {
            "benchmark": name,
            "measure": "peak memory (preview + import)",
            "value": peak,
            "unit": "MB",
            "target": f"< {TARGET_MB}",
            "ok": peak < TARGET_MB,
        },
        {
            "benchmark": name,
            "measure": "re-import preview (all unchanged)",
            "value": again["preview"],
            "unit": "s",
            "baseline": baseline,
            "ratio": again["preview"] / baseline,
            "ok": again["counts"]["unchanged"] == ROWS,
        },
    ]


def _child(step: str, work: Path, db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"TESTING": "1", "SQLITE_PATH": str(db), "DJANGO_SETTINGS_MODULE": "config.settings"})
    done = subprocess.run([sys.executable, __file__, step, str(work)], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench_import {step} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the steps, each in a fresh process ---------------------------------------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(work: Path) -> dict:
    """A town with 25 branches, a town-office account, and the roster file of 30,000 invented members."""
    import datetime as dt
    import random

    _setup_django()
    from django.core.management import call_command
    from django.db import connection
    from openpyxl import Workbook

    from apps.accounts.models import Role, User
    from apps.core.demo_data import create_county, create_town, generate_members
    from apps.roster.columns import MEMBER_COLUMNS

    call_command("migrate", verbosity=0)
    rng = random.Random(20260701)
    county = create_county("基准县")
    town, branches = create_town(county, "基准镇", 25, rng)
    User.objects.create_user(OFFICE, password="bench-pass-2026", role=Role.TOWN_OFFICE, organization=town)

    # Saved the way Excel and WPS save a sheet (strings in the shared-strings table), not openpyxl's
    # write-only inline strings, which openpyxl reads back much more slowly and would flatter the ratio.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员花名册"
    sheet.append(["基准镇党员花名册（全国党员信息管理系统导出）"])
    headers = [c.header for c in MEMBER_COLUMNS if c.field != "status"]
    sheet.append(["序号", *headers])
    today = dt.date.today()
    members = generate_members(branches, ROWS, rng, today=today)
    for n, m in enumerate(members, start=1):
        sheet.append(
            [
                n,
                m.name,
                m.gender,
                m.id_number,
                m.ethnicity,
                m.birth_date,
                m.education,
                m.get_category_display(),
                m.branch.name,
                m.joined_on,
                m.confirmed_on,
                m.post,
                m.phone,
            ]
        )
    path = work / FILE_NAME
    workbook.save(path)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"megabytes": path.stat().st_size / 1024 / 1024}


def baseline(work: Path) -> dict:
    """openpyxl alone: open read-only and iterate every row's values."""
    from openpyxl import load_workbook

    start, cpu = time.perf_counter(), time.process_time()
    workbook = load_workbook(work / FILE_NAME, read_only=True, data_only=True)
    count = 0
    for ws in workbook.worksheets:
        for _ in ws.iter_rows(values_only=True):
            count += 1
    workbook.close()
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "rows": count}


def import_(work: Path, *, apply: bool = True) -> dict:
    """What the web does: upload → preview stored as a batch; confirm → re-check and write."""
    import resource

    _setup_django()
    from apps.accounts.models import User
    from apps.roster import actions
    from apps.roster.models import ImportBatch
    from apps.roster.plan import build_plan
    from apps.roster.scope import import_scope

    user = User.objects.get(username=OFFICE)
    path = work / FILE_NAME
    start, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as stream:
        scope = import_scope(user)
        plan = build_plan(stream, path.name, path.stat().st_size, kind="members", scope=scope)
    batch = actions.save_preview(user, plan, scope)
    previewed = time.perf_counter()
    counts = plan.counts
    del plan
    batch = ImportBatch.objects.defer("payload").get(pk=batch.pk)
    actions.apply_import(user, batch.plan(), batch=batch)
    applied = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "preview": previewed - start,
        "apply": applied - previewed,
        "cpu": time.process_time() - cpu,
        "peak_mb": peak_mb,
        "counts": counts,
    }


if __name__ == "__main__":
    step, folder = sys.argv[1], Path(sys.argv[2])
    steps = {"prepare": prepare, "baseline": baseline, "import": import_, "reimport": import_}
    print(json.dumps(steps[step](folder), default=str))
