#!/usr/bin/env python3
"""Roster import at town scale: a generated 30,000-row .xlsx, previewed and imported.

The baseline is what openpyxl alone needs to read the same file in read-only mode, measured in the
same run on the same machine; the target is preview + import within 2× that, and peak memory under
500 MB. Each step runs in its own process on its own throwaway SQLite database, so the peak memory
(maxrss) is that of the import alone and no other benchmark's Django set-up gets in the way.

The roster is generated with openpyxl, which stores every text cell inline. Excel and WPS store text in
a shared-strings table instead, which openpyxl reads faster; the same rows saved that way are measured
too and reported for information (the target is checked on the generated file).

    TESTING=1 .venv/bin/python bench/run.py bench_import
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, unescape

from apps.core import clock

ROOT = Path(__file__).resolve().parent.parent
ROWS = 30_000
TARGET_RATIO = 2.0
TARGET_MB = 500
GENERATED = "bench_roster.xlsx"
SHARED_STRINGS = "bench_roster_excel_style.xlsx"
OFFICE = "bench_office"
NAME = "bench_import"


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="roster-bench-") as tmp:
        work = Path(tmp)
        prepared = _child("prepare", work, work / "base.sqlite3")
        main = _measure(work, GENERATED, attempts=3)
        again = _child("reimport", work, work / f"{GENERATED}.0.sqlite3", GENERATED)
        excel = _measure(work, SHARED_STRINGS, attempts=2)
    ratio, cpu_ratio = main["ratio"], main["cpu_ratio"]
    print(
        f"  {ROWS} rows, {prepared['megabytes']:.1f} MB: openpyxl read-only {main['baseline']:.2f} s; "
        f"preview {main['preview']:.2f} s + import {main['apply']:.2f} s = {main['total']:.2f} s; ratio {ratio:.2f} "
        f"(target ≤ {TARGET_RATIO}); CPU {main['cpu']:.2f} s against {main['baseline_cpu']:.2f} s, ratio {cpu_ratio:.2f}; "
        f"peak {main['peak_mb']:.0f} MB (target < {TARGET_MB}); re-import preview {again['preview']:.2f} s, {again['counts']}; "
        f"Excel-style file: openpyxl {excel['baseline']:.2f} s, preview + import {excel['total']:.2f} s, "
        f"ratio {excel['ratio']:.2f} (ratios: median of back-to-back pairs)",
        flush=True,
    )
    return [
        _row(f"openpyxl read-only, {ROWS} rows (baseline)", main["baseline"], "s"),
        _row("preview (read, check, store)", main["preview"], "s"),
        _row("import (re-check, write)", main["apply"], "s"),
        _row(
            "preview + import",
            main["total"],
            "s",
            baseline=main["baseline"],
            ratio=ratio,
            target=f"≤ {TARGET_RATIO}×",
            ok=ratio <= TARGET_RATIO and main["counts"]["new"] == ROWS,
        ),
        _row("preview + import, CPU time", main["cpu"], "s", baseline=main["baseline_cpu"], ratio=cpu_ratio, target=f"≤ {TARGET_RATIO}×"),
        _row("peak memory (preview + import)", main["peak_mb"], "MB", target=f"< {TARGET_MB}", ok=main["peak_mb"] < TARGET_MB),
        _row(
            "re-import preview (all unchanged)",
            again["preview"],
            "s",
            baseline=main["baseline"],
            ratio=again["preview"] / main["baseline"],
            ok=again["counts"]["unchanged"] == ROWS,
        ),
        _row("Excel-style file (shared strings): openpyxl read-only", excel["baseline"], "s"),
        _row(
            "Excel-style file: preview + import",
            excel["total"],
            "s",
            baseline=excel["baseline"],
            ratio=excel["ratio"],
            ok=excel["counts"]["new"] == ROWS,
        ),
    ]


def _row(measure: str, value: float, unit: str, **extra) -> dict:
    return {"benchmark": NAME, "measure": measure, "value": value, "unit": unit, **extra}


def _measure(work: Path, file_name: str, attempts: int) -> dict:
    """Baseline and import taken in back-to-back pairs, each import on a fresh copy of the database.

    A shared machine's speed drifts (virtual CPUs, neighbours): the ratio is the median of the pairs' ratios,
    so a slow spell slows both sides of a pair instead of one side of the comparison."""
    pairs = []
    for attempt in range(attempts):
        baseline = _child("baseline", work, work / "base.sqlite3", file_name)
        db = work / f"{file_name}.{attempt}.sqlite3"
        shutil.copy(work / "base.sqlite3", db)
        pairs.append((baseline, _child("import", work, db, file_name)))
    runs = [run for _, run in pairs]
    best = min(runs, key=lambda r: r["preview"] + r["apply"])
    return best | {
        "total": best["preview"] + best["apply"],
        "ratio": statistics.median((r["preview"] + r["apply"]) / b["seconds"] for b, r in pairs),
        "cpu_ratio": statistics.median(r["cpu"] / b["cpu"] for b, r in pairs),
        "cpu": min(r["cpu"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "baseline": min(b["seconds"] for b, _ in pairs),
        "baseline_cpu": min(b["cpu"] for b, _ in pairs),
    }


def _child(step: str, work: Path, db: Path, file_name: str = GENERATED) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"TESTING": "1", "SQLITE_PATH": str(db), "DJANGO_SETTINGS_MODULE": "config.settings"})
    command = [sys.executable, __file__, step, str(work), file_name]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench_import {step} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the steps, each in a fresh process ---------------------------------------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(work: Path, file_name: str) -> dict:
    """A town with 25 branches, a town-office account, and the roster of 30,000 invented members in both forms."""
    import random

    _setup_django()
    from django.core.management import call_command
    from django.db import connection
    from openpyxl import Workbook

    from apps.accounts.models import Role, User
    from apps.demo.generate import create_county, create_town, generate_members
    from apps.roster.columns import MEMBER_COLUMNS

    call_command("migrate", verbosity=0)
    rng = random.Random(20260701)
    county = create_county("基准县")
    town, branches = create_town(county, "基准镇", 25, rng)
    User.objects.create_user(OFFICE, password="bench-pass-2026", role=Role.TOWN_OFFICE, organization=town)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员花名册"
    sheet.append(["基准镇党员花名册（全国党员信息管理系统导出）"])
    sheet.append(["序号", *[c.header for c in MEMBER_COLUMNS if c.field != "status"]])
    parent = f"{county.name}/{town.name}"  # the 上级党组织 column every export writes
    for n, m in enumerate(generate_members(branches, ROWS, rng, today=clock.today()), start=1):
        category = m.get_category_display()
        dates = (m.joined_on, m.confirmed_on)
        sheet.append(
            [
                n,
                m.name,
                m.gender,
                m.id_number,
                m.ethnicity,
                m.birth_date,
                m.education,
                category,
                m.branch.name,
                parent,
                *dates,
                m.post,
                m.phone,
            ]
        )
    workbook.save(work / GENERATED)
    _as_shared_strings(work / GENERATED, work / SHARED_STRINGS)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"megabytes": (work / GENERATED).stat().st_size / 1024 / 1024}


def _as_shared_strings(source: Path, target: Path) -> None:
    """The same workbook with its text in a shared-strings table, as Excel and WPS save it."""
    strings: dict[str, int] = {}

    def shared(match: re.Match) -> str:
        index = strings.setdefault(unescape(match.group(2)), len(strings))
        return f'<c{match.group(1)} t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(r'<c([^>]*?) t="inlineStr"><is><t[^>]*>(.*?)</t></is></c>', shared, data.decode()).encode()
            elif info.filename == "xl/_rels/workbook.xml.rels":
                rel = '<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
                data = data.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}"/></Types>'.encode())
            copy.writestr(info, data)
        items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        copy.writestr("xl/sharedStrings.xml", f'<sst xmlns="{main_ns}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>')


def baseline(work: Path, file_name: str) -> dict:
    """openpyxl alone: open read-only and iterate every row's values."""
    from openpyxl import load_workbook

    start, cpu = time.perf_counter(), time.process_time()
    workbook = load_workbook(work / file_name, read_only=True, data_only=True)
    count = 0
    for ws in workbook.worksheets:
        for _ in ws.iter_rows(values_only=True):
            count += 1
    workbook.close()
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "rows": count}


def import_(work: Path, file_name: str) -> dict:
    """What the web does: upload → preview stored as a batch; confirm → re-check and write."""
    import resource

    _setup_django()
    from apps.accounts.models import User
    from apps.roster import actions
    from apps.roster.import_scope import import_scope
    from apps.roster.models import ImportBatch
    from apps.roster.plan import build_plan

    user = User.objects.get(username=OFFICE)
    path = work / file_name
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
    step, folder, name = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    steps = {"prepare": prepare, "baseline": baseline, "import": import_, "reimport": import_}
    print(json.dumps(steps[step](folder, name), default=str))
