"""The public face under a crowd (issue 10): the public 公示 page and a town's public home (its honour roll)
at county scale, on the real server, against hello-world in the same run.

A throwaway database (SQLite; PostgreSQL too when its server binaries are installed, and PostgreSQL with the shared
cache on Redis, CACHE_URL, when redis-server is installed: a county's several app servers) gets `gen_county`
(1 county, 40 towns, 800 branches, 32,000 members) and `gen_public` (apps/publicity: the first town's five
years of honour roll — two commended posts per branch a year and three plaqued villages — a live notice of
this year's 40 listed nominations, published stories). gunicorn serves it as `make run` does
(bench/server.py); wrk (2 threads, 8 connections) measures each page anonymously, as a visitor who scanned a
board's QR code, in turn with hello-world (/healthz, no database): after a 1 s warm-up of each, fifteen 1-second
slices of each (five times BENCH_ROUNDS=3), alternating, each side's rate pooled over its slices (Site.paired), so
other load on the machine weighs on both sides alike. The login page (a template, no database) is a reference row:
what rendering any page at all costs.

Target: req/s ≥ 0.50 × hello-world's. The pages are kept whole in the shared database cache for a minute
(apps/publicity/freshness.py); the first visitor after a change pays the render, the row shows the crowd.
A kept page holds no form and sets no cookie: the objection form is a page of its own. Both sides are asked
as a phone's browser asks (`Accept-Encoding: gzip, deflate`), so the kept page goes out gzipped as it is kept.

Also runnable alone: `python bench/bench_public.py` or `--child` (the database DATABASE_URL names).
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import Site, child, measure, postgres_rows  # noqa: E402 - the shared server harness

TARGET_RATIO = 0.50
PHONE = ("Accept-Encoding: gzip, deflate",)  # what every phone browser sends: the kept page goes out gzipped as kept
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))  # each page and its hello-world in turn: 5 × ROUNDS one-second slices each


def run() -> list[dict]:
    script = Path(__file__).resolve()
    return measure_backend("sqlite") + postgres_rows(script, "public") + postgres_rows(script, "public", redis=True)


def measure_backend(label: str, database_url: str | None = None) -> list[dict]:
    return measure(f"public[{label}]", database_url, lambda site: _measure(site, f"public[{label}]"))


def _measure(site: Site, bench: str) -> list[dict]:
    site.prepare()
    rows = []
    seconds = site.generate("gen_county", f"--password={secrets.token_urlsafe(16)}")  # "=": a password may begin with "-"
    rows.append({"benchmark": bench, "measure": "data: gen_county", "value": seconds, "unit": "s"})
    out = site.manage("gen_public", timeout=600)
    facts = json.loads(out.split("PUBLIC ", 1)[1].splitlines()[0])
    rows.append(
        {
            "benchmark": bench,
            "measure": f"data: gen_public ({facts['posts']} posts, {facts['villages']} villages, notice of {facts['listed']})",
            "value": "",
            "unit": "",
        }
    )
    site.start()
    pages = [
        ("public notice (公示)", f"/public/notices/{facts['notice']}/", "拟表彰对象的公示", "提出异议"),
        ("town public home (honour roll)", f"/public/towns/{facts['town']}/", "光荣榜", "年度"),
    ]
    for _, path, *expect in pages:
        site.check(path, None, *expect)
    login = site.wrk("/accounts/login/")
    for i, (name, path, *_) in enumerate(pages):
        result, hello = site.paired(path, "/healthz", rounds=ROUNDS, headers=PHONE)
        if i == 0:
            rows.append({"benchmark": bench, "measure": "GET /healthz (hello world)", "value": hello["rps"], "unit": "req/s"})
            rows.append({"benchmark": bench, "measure": "GET /healthz p95", "value": hello["p95_ms"], "unit": "ms"})
            rows.append(
                {
                    "benchmark": bench,
                    "measure": "GET /accounts/login/ (template, no DB; reference)",
                    "value": login["rps"],
                    "unit": "req/s",
                    "baseline": hello["rps"],
                    "ratio": login["rps"] / hello["rps"] if hello["rps"] else 0.0,
                }
            )
        ratio = result["rps"] / hello["rps"] if hello["rps"] else 0.0
        rows.append(
            {
                "benchmark": bench,
                "measure": f"{name} (GET {path}, {result['requests']} requests in {result['seconds']:.0f} s)",
                "value": result["rps"],
                "unit": "req/s",
                "baseline": hello["rps"],
                "ratio": ratio,
                "target": f"≥{TARGET_RATIO:.2f}",
                "ok": ratio >= TARGET_RATIO,
            }
        )
        rows.append({"benchmark": bench, "measure": f"{name} p95 (its slowest slice)", "value": result["p95_ms"], "unit": "ms"})
    return rows


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.exit(child(measure_backend))
    print(json.dumps(run(), ensure_ascii=False, indent=1))
