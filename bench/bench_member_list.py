"""Member list at county scale, served by the real production server, measured with wrk.

A throwaway SQLite database (and, when PostgreSQL's server binaries are installed, a throwaway
PostgreSQL cluster via scripts/with-postgres.sh) gets `migrate` + `gen_county` (≈32,000 members);
gunicorn then serves it with production settings (DEBUG off, no TESTING, manifest static files) on a
free loopback port, as `make run` does (2 workers × 4 threads). wrk (2 threads, 8 connections, 5 s
after a 1 s warm-up) measures the member list as the county reviewer (all 32,000 members) and as a
town office (first page, a later page, a name search), each right after its own hello-world run
(/healthz, no database): the row's ratio is the page's req/s over that baseline, so load from other
work on the machine weighs on both alike. The anonymous login page (a template, no database) is
measured the same way as a reference for what any rendered page costs. Target: ratio ≥ 0.40.
The harness (server, sessions, wrk) is bench/server.py.

Also runnable alone: `python bench/bench_member_list.py` (SQLite and PostgreSQL) or
`python bench/bench_member_list.py --child` (only the database DATABASE_URL names, rows as JSON).
"""

from __future__ import annotations

import json
import secrets
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import Site, child, measure, postgres_rows  # noqa: E402 - the shared server harness

TARGET_RATIO = 0.40
SEARCH = "王"


def run() -> list[dict]:
    return measure_backend("sqlite") + postgres_rows(Path(__file__).resolve(), "member_list")


def measure_backend(label: str, database_url: str | None = None) -> list[dict]:
    return measure(f"member_list[{label}]", database_url, lambda site: _measure(site, f"member_list[{label}]"))


def _measure(site: Site, bench: str) -> list[dict]:
    site.prepare()
    gen_seconds = site.generate("gen_county", f"--password={secrets.token_urlsafe(16)}")  # "=": a password may begin with "-"
    sessions = site.sessions(["gen_county_reviewer", "gen_town_office"])
    county_cookie, town_cookie = sessions["gen_county_reviewer"], sessions["gen_town_office"]
    site.start()
    q = urllib.request.quote(SEARCH)
    endpoints = [
        # (measure, path, cookie, text the page must contain)
        ("county reviewer /members/", "/members/", county_cookie, "共 32000 条"),
        ("county reviewer /members/?page=400", "/members/?page=400", county_cookie, "第 400 /"),
        ("town office /members/", "/members/", town_cookie, "第 1 /"),
        ("town office /members/?page=12", "/members/?page=12", town_cookie, "第 12 /"),
        (f"town office /members/?q={SEARCH}", f"/members/?q={q}", town_cookie, "条"),
    ]
    for _, path, cookie, expect in endpoints:
        site.check(path, cookie, "党员名册", expect)

    rows = [{"benchmark": bench, "measure": "gen_county (32k members)", "value": gen_seconds, "unit": "s"}]
    # Each page is measured right after its own hello-world run: other load on the machine then
    # weighs on both sides of the ratio alike.
    pages = [("GET /accounts/login/ (template, no DB; reference)", "/accounts/login/", None, None)] + endpoints
    for i, (measure_, path, cookie, expect) in enumerate(pages):
        hello = site.wrk("/healthz")
        if i == 0:
            rows.append({"benchmark": bench, "measure": "GET /healthz (hello world)", "value": hello["rps"], "unit": "req/s"})
            rows.append({"benchmark": bench, "measure": "GET /healthz p95", "value": hello["p95_ms"], "unit": "ms"})
        result = site.wrk(path, cookie)
        if cookie:  # still the page, not the redirect to the login page (wrk counts either as an answer)
            site.check(path, cookie, "党员名册", expect)
        ratio = result["rps"] / hello["rps"] if hello["rps"] else 0.0
        row = {"benchmark": bench, "measure": measure_, "value": result["rps"], "unit": "req/s", "baseline": hello["rps"], "ratio": ratio}
        if cookie:  # the member list pages carry the target
            row.update(target=f"≥{TARGET_RATIO:.2f}", ok=ratio >= TARGET_RATIO)
        rows.append(row)
        rows.append({"benchmark": bench, "measure": f"{measure_} p95", "value": result["p95_ms"], "unit": "ms"})
    return rows


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.exit(child(measure_backend))
    print(json.dumps(run(), ensure_ascii=False, indent=1))
