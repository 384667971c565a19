#!/usr/bin/env python3
"""Run every benchmark module bench/bench_*.py and print one table.

Each module exposes `run() -> list[dict]`; a row has at least "benchmark", "measure", "value", "unit",
and optionally "baseline", "ratio", "target", "ok". Baselines are measured in the same run, on the
same machine, so ratios stay meaningful on a noisy machine.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main(argv: list[str]) -> int:
    only = set(argv[1:])
    rows: list[dict] = []
    failed = False
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        name = path.stem
        if only and name not in only:
            continue
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        for row in module.run():
            rows.append(row)
            failed |= row.get("ok") is False
    print()
    header = ["benchmark", "measure", "value", "unit", "baseline", "ratio", "target", "ok"]
    table = [[_fmt(r.get(h, "")) for h in header] for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in table)) if table else len(h) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return 1 if failed else 0


def _fmt(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
