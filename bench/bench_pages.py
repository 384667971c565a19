"""Every management page at county scale, as each role that uses it, on the real server (issue 13).

A throwaway database (SQLite; PostgreSQL too when its server binaries are installed) gets `gen_county`
(1 county, 40 towns, 800 branches, 32,000 members), then every command of GENERATORS that exists on this
branch (a workflow data generator, say), then SETUP_SCRIPT (an administrator, each town's campaign, a few
hundred audited appraisal corrections). gunicorn serves it as `make run` does (bench/server.py); wrk
(2 threads, 8 connections) measures each row of PAGES in turn with the anonymous login page (a template, no
database: the cost of rendering any page at all): after a 1 s warm-up of each, five 1-second slices of each,
alternating, each side's rate pooled over its slices (Site.paired), so the machine's drift from one second to
the next weighs on both sides of the ratio alike; BENCH_ROUNDS=3 takes three times as many slices (steadier,
three times as long). Hello-world (/healthz) is the ceiling row.
PostgreSQL with the shared cache on Redis (CACHE_URL) is a third row set when redis-server is installed.

Targets per page (issue 13): req/s ≥ 0.50 × the login page's, p95 < 100 ms.

To add a page: one row in PAGES (name, role, url, text the page must show); a url may name a value of
FACTS as {name}; a role is a key of ROLES. To add data: a row in GENERATORS. Only some rows:
BENCH_PAGES=substring (matched against "name role"). Also runnable alone:
`python bench/bench_pages.py` or `--child` (the database DATABASE_URL names, rows as JSON).
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import Site, child, measure, postgres_rows  # noqa: E402 - the shared server harness

TARGET_RATIO = 0.50
TARGET_P95_MS = 100.0
SEARCH = urllib.parse.quote("王")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "1"))

# Data generators, in order: (management command and arguments, required). An optional one is skipped
# when the command does not exist on this branch. "{password}" becomes a random password (after "=": it may begin with "-").
GENERATORS = [
    (("gen_county", "--password={password}"), True),
    (("gen_campaigns", "--password={password}"), False),  # this year's campaign at every step (apps/demo)
]

# Who measures: role → username (gen_county makes the first three; SETUP_SCRIPT the administrator).
ROLES = {
    "county reviewer": "gen_county_reviewer",
    "town office": "gen_town_office",
    "branch secretary": "gen_branch_secretary",
    "admin": "bench_admin",
    # gen_campaigns: the first town's approver and inspector; the second town's office (its 公示 is running).
    "town approver": "gc000_approver",
    "inspector": "gc000_inspector",
    "town office (notice)": "gc001_office",
}

# Values the urls may name, each an expression evaluated in manage.py shell after SETUP_SCRIPT.
FACTS = {
    "campaign": "Campaign.objects.get(town=User.objects.get(username='gen_town_office').organization, year=YEAR).pk",
    "branch": "User.objects.get(username='gen_branch_secretary').organization_id",
    "meeting": "Meeting.objects.filter(campaign__town=User.objects.get(username='gen_town_office').organization, status='concluded').order_by('pk').first().pk",
    "notice_campaign": "Campaign.objects.get(town=User.objects.get(username='gc001_office').organization, year=YEAR).pk",
}

# (page, role, url, text the page must show)
PAGES = [
    ("home", "county reviewer", "/", "首页"),
    ("home", "town office", "/", "首页"),
    ("home", "branch secretary", "/", "首页"),
    ("members", "county reviewer", "/members/", "共 32000 条"),
    ("members page 400", "county reviewer", "/members/?page=400", "第 400 /"),
    ("members search", "county reviewer", f"/members/?q={SEARCH}", "党员名册"),
    ("members", "town office", "/members/", "第 1 /"),
    ("members page 12", "town office", "/members/?page=12", "第 12 /"),
    ("members search", "town office", f"/members/?q={SEARCH}", "党员名册"),
    ("members", "branch secretary", "/members/", "党员名册"),
    ("org tree", "county reviewer", "/orgs/", "党组织"),
    ("org tree", "town office", "/orgs/", "党组织"),
    ("org tree", "branch secretary", "/orgs/", "党组织"),
    ("quotas", "county reviewer", "/campaigns/{campaign}/quotas/", "名额测算"),
    ("quotas", "town office", "/campaigns/{campaign}/quotas/", "名额测算"),
    ("quotas", "branch secretary", "/campaigns/{campaign}/quotas/", "名额测算"),
    ("audit log", "admin", "/audit/", "审计日志"),
    ("audit log", "town office", "/audit/", "审计日志"),
    ("appraisal sheet", "town office", "/appraisals/?branch={branch}", "民主评议录入"),
    ("appraisal sheet", "branch secretary", "/appraisals/", "民主评议录入"),
    # The workflow pages (gen_campaigns: branches at every step of the procedure).
    ("progress board", "town office", "/campaigns/{campaign}/progress/", "示范行动进度"),
    ("progress board ?step", "town office", "/campaigns/{campaign}/progress/?step=submitted", "示范行动进度"),
    ("progress board ?status", "town office", "/campaigns/{campaign}/progress/?status=not_submitted", "示范行动进度"),
    ("progress export .xlsx", "town office", "/campaigns/{campaign}/progress.xlsx", "xl/worksheets"),
    ("progress summary", "county reviewer", "/progress/", "各镇示范行动进度"),
    ("progress board", "county reviewer", "/campaigns/{campaign}/progress/", "示范行动进度"),
    ("review", "town office", "/campaigns/{campaign}/review/", "镇党委审批"),
    ("review", "town approver", "/campaigns/{campaign}/review/", "镇党委审批"),
    ("nominations", "town office", "/campaigns/{campaign}/nominations/", "示范岗推荐情况"),
    ("nominations", "county reviewer", "/nominations/", "示范岗"),
    ("meeting", "town office", "/meetings/{meeting}/", "党员大会"),
    ("notices", "town office (notice)", "/campaigns/{notice_campaign}/notices/", "公示"),
    ("objections", "town office (notice)", "/campaigns/{notice_campaign}/objections/", "异议"),
    ("plaques", "county reviewer", "/plaques/", "牌匾登记"),
    ("assessment", "town office", "/campaigns/{campaign}/assessment/", "目标考核"),
    ("assessment", "county reviewer", "/campaigns/{campaign}/assessment/", "目标考核"),
    ("home", "town approver", "/", "首页"),
    ("home", "inspector", "/", "首页"),
]

SETUP_SCRIPT = """
import json
from apps.core import clock
from apps.accounts.models import Role, User
from apps.campaigns.models import Campaign
from apps.meetings.models import Meeting
from apps.orgs import actions as org_actions
from apps.orgs.choices import Grade, OrgLevel
from apps.orgs.models import Member, Organization
from tests import factories as f

YEAR = clock.today().year
county = Organization.objects.get(parent=None)
admin = User(username="bench_admin", role=Role.ADMIN, organization=county, display_name="基准管理员")
admin.set_unusable_password()
admin.save()
for town in Organization.objects.filter(level=OrgLevel.TOWN).exclude(campaigns__year=YEAR).order_by("path"):
    f.campaign(admin, town)  # each town's campaign, unless a workflow generator has made it
# A few hundred audited corrections in the town office's town: the audit log has pages to show.
office = User.objects.get(username="gen_town_office")
members = Member.objects.visible_to(office).active().select_related("branch").order_by("pk")[:300]
grades = [Grade.EXCELLENT, Grade.QUALIFIED]
org_actions.record_appraisals(office, YEAR - 1, {m: grades[i %% 2] for i, m in enumerate(members)})
print("FACTS " + json.dumps({name: eval(expr) for name, expr in %(facts)r.items()}))
"""


def run() -> list[dict]:
    script = Path(__file__).resolve()
    return measure_backend("sqlite") + postgres_rows(script, "pages") + postgres_rows(script, "pages", redis=True)


def measure_backend(label: str, database_url: str | None = None) -> list[dict]:
    return measure(f"pages[{label}]", database_url, lambda site: _measure(site, f"pages[{label}]"))


def selected_pages() -> list[tuple[str, str, str, str]]:
    only = os.environ.get("BENCH_PAGES", "")
    return [row for row in PAGES if only in f"{row[0]} {row[1]}"]


def _measure(site: Site, bench: str) -> list[dict]:
    site.prepare()
    rows = []
    password = secrets.token_urlsafe(16)
    for command, required in GENERATORS:
        args = [a.replace("{password}", password) for a in command]
        seconds = site.generate(*args, optional=not required)
        if seconds is not None:
            rows.append({"benchmark": bench, "measure": f"data: {command[0]}", "value": seconds, "unit": "s"})
    facts = site.shell(SETUP_SCRIPT % {"facts": FACTS}, "FACTS")
    pages = selected_pages()
    cookies = site.sessions(sorted({ROLES[role] for _, role, _, _ in pages}))
    site.start()
    urls = [url.format(**facts) for _, _, url, _ in pages]
    for (_, role, _, expect), url in zip(pages, urls, strict=True):
        site.check(url, cookies[ROLES[role]], expect)

    hello = site.wrk("/healthz")
    rows.append({"benchmark": bench, "measure": "GET /healthz (hello world, ceiling)", "value": hello["rps"], "unit": "req/s"})
    rows.append({"benchmark": bench, "measure": "GET /healthz p95", "value": hello["p95_ms"], "unit": "ms"})
    for i, ((name, role, _, expect), url) in enumerate(zip(pages, urls, strict=True)):
        # A session of its own, checked right before and after: the run takes longer than SESSION_IDLE_TIMEOUT,
        # and wrk counts a redirect as an answer, so a session idle since the start would measure the redirect
        # to the login page.
        cookie = site.sessions([ROLES[role]])[ROLES[role]]
        site.check(url, cookie, expect)
        # the baseline, measured right before each page
        result, login = site.paired(url, "/accounts/login/", cookie, rounds=ROUNDS)
        site.check(url, cookie, expect)
        if i == 0:
            rows.append({"benchmark": bench, "measure": "GET /accounts/login/ (baseline)", "value": login["rps"], "unit": "req/s"})
            rows.append({"benchmark": bench, "measure": "GET /accounts/login/ p95", "value": login["p95_ms"], "unit": "ms"})
        ratio = result["rps"] / login["rps"] if login["rps"] else 0.0
        label = f"{name} · {role}"
        rows.append(
            {
                "benchmark": bench,
                "measure": f"{label} (GET {urllib.parse.unquote(url)})",
                "value": result["rps"],
                "unit": "req/s",
                "baseline": login["rps"],
                "ratio": ratio,
                "target": f"≥{TARGET_RATIO:.2f}",
                "ok": ratio >= TARGET_RATIO,
            }
        )
        rows.append(
            {
                "benchmark": bench,
                "measure": f"{label} p95 (its slowest slice)",
                "value": result["p95_ms"],
                "unit": "ms",
                "target": f"<{TARGET_P95_MS:.0f}",
                "ok": result["p95_ms"] < TARGET_P95_MS,
            }
        )
    return rows


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.exit(child(measure_backend))
    print(json.dumps(run(), ensure_ascii=False, indent=1))
