#!/usr/bin/env python3
"""A batch of 100 共产党员示范岗申报表 as PDF: total and per paper, target < 15 s for the 100 on this machine.

Runs in its own process on a throwaway SQLite database: a town with 10 branches, 100 nominations (each with a
meeting result, five criteria statements and a deeds text of a realistic length), then the zip of every
申报表 of the town exactly as the download page makes it (content from the models, HTML, WeasyPrint on one worker
process per core (PAPER_WORKERS), zip).
The first paper of a process pays for loading the fonts; it is measured apart and included in the total.

    TESTING=1 .venv/bin/python bench/run.py bench_papers
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from apps.core import clock

ROOT = Path(__file__).resolve().parent.parent
PAPERS = 100
BRANCHES = 10
TARGET_SECONDS = 15.0
NAME = "bench_papers"


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="papers-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update({"TESTING": "1", "SQLITE_PATH": str(Path(tmp) / "bench.sqlite3"), "DJANGO_SETTINGS_MODULE": "config.settings"})
        done = subprocess.run([sys.executable, __file__, "--child"], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{NAME} failed:\n{done.stdout}\n{done.stderr}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
    total, first = result["total"], result["first"]
    print(
        f"  {result['papers']} 申报表: {total:.2f} s in all ({total / result['papers'] * 1000:.0f} ms each; the first, with the fonts, "
        f"{first * 1000:.0f} ms), zip {result['megabytes']:.1f} MB, {result['pages']} pages",
        flush=True,
    )
    return [
        {
            "benchmark": NAME,
            "measure": f"{result['papers']} 申报表 PDF, zipped ({result['workers']} worker processes)",
            "value": total,
            "unit": "s",
            "target": f"< {TARGET_SECONDS:g}",
            "ok": total < TARGET_SECONDS,
        },
        {"benchmark": NAME, "measure": "per 申报表", "value": total / result["papers"] * 1000, "unit": "ms"},
        {"benchmark": NAME, "measure": "first 申报表 (loads the fonts)", "value": first * 1000, "unit": "ms"},
    ]


def child() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import io
    import zipfile

    from django.core.management import call_command
    from pypdf import PdfReader

    from apps.accounts.models import Role
    from apps.campaigns.models import Target
    from apps.meetings.choices import MeetingStatus, RoundStatus
    from apps.meetings.models import Candidate, Meeting, PollRound, RoundResult
    from apps.nominations.choices import NominationStatus
    from apps.nominations.models import Nomination, Proposal
    from apps.orgs.choices import OrgKind, OrgLevel
    from apps.papers import access, content, parallel
    from apps.papers.render import render
    from tests import factories as f

    call_command("migrate", verbosity=0)
    county = f.org("中共基准县委员会", None, OrgLevel.COUNTY, OrgKind.ORGAN)
    town = f.org("中共基准镇委员会", county, OrgLevel.TOWN, OrgKind.ORGAN)
    office = f.user("bench_office", Role.TOWN_OFFICE, town)
    campaign = f.campaign(office, town)
    criteria = list(campaign.criteria.filter(target=Target.POST).order_by("order"))
    deeds = "带头发展特色种养产业，组织成立专业合作社，帮助群众解决销售难题；" * 4 + "群众评价好。"
    today = clock.today()
    for b in range(BRANCHES):
        branch = f.org(f"基准第{b + 1}村党支部", town)
        meeting = Meeting.objects.create(
            campaign=campaign,
            org=branch,
            status=MeetingStatus.CONCLUDED,
            date=today,
            place="村部",
            chair="甲",
            recorder="乙",
            expected_voters=40,
            present_voters=36,
            quorate=True,
            quota_value=PAPERS // BRANCHES,
        )
        poll = PollRound.objects.create(
            meeting=meeting, number=1, status=RoundStatus.CLOSED, max_choices=10, issued=36, used=36, valid=36, invalid=0
        )
        proposal = Proposal.objects.create(
            meeting=meeting,
            campaign=campaign,
            org=branch,
            committee_date=today,
            committee_attendees="支委甲、支委乙",
            opinion="经支委会研究，同意推荐。",
            publicity_start=today,
            publicity_end=today,
        )
        for i in range(PAPERS // BRANCHES):
            member = f.member(branch)
            statements = [{"order": c.order, "title": c.title, "text": f"对照{c.title}，该同志表现突出。"} for c in criteria]
            candidate = Candidate.objects.create(
                meeting=meeting, campaign=campaign, member=member, post="村民小组长", deeds=deeds, criteria=statements
            )
            RoundResult.objects.create(round=poll, candidate=candidate, votes=30 - i, passed=True, recommended=True)
            Nomination.objects.create(
                campaign=campaign, org=branch, proposal=proposal, candidate=candidate, member=member, status=NominationStatus.SUBMITTED
            )

    nominations = access.batch_nominations(office, campaign.pk)[2]
    assert len(nominations) == PAPERS, len(nominations)
    started = time.perf_counter()
    render(content.application(nominations[0]), "pdf")  # the fonts load with the first paper
    first = time.perf_counter() - started
    started = time.perf_counter()
    body = access.applications_zip(nominations[1:])
    total = first + time.perf_counter() - started
    archive = zipfile.ZipFile(io.BytesIO(body))
    pages = sum(len(PdfReader(io.BytesIO(archive.read(n))).pages) for n in archive.namelist())
    workers = min(parallel.workers(), PAPERS // parallel.MIN_PER_WORKER)
    print(json.dumps({"papers": PAPERS, "total": total, "first": first, "megabytes": len(body) / 1e6, "pages": pages, "workers": workers}))


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        child()
    else:
        for row in run():
            print(row)
