"""300 voters casting their secret ballots at once against the real server (`make run`'s gunicorn: 2 workers
× 4 threads, production settings), on SQLite and, when PostgreSQL's server binaries are installed, on a
throwaway PostgreSQL cluster (scripts/with-postgres.sh).

Set-up (manage.py shell): two branches with 300 正式党员 each, all present, 5 candidates, the poll opened:
300 codes each. Scenario "burst": 300 voters released together (asyncio, a connection each), each POST
/api/v1/ballots with its own code (no token, as a phone would), 50 of them tapping twice (a second request
with the same code at the same moment). Scenario "spread": the other branch's 300 voters arriving at random
over 10 seconds. After each, the poll is closed through the API; then the database is read back.

- accepted: 201 answers; lost: accepted ballots missing from the database, plus requests that failed
  (5xx, timeouts, refused connections); duplicate: ballots stored beyond one per code (a second 201 for a
  code, or more ballots than accepted answers); p50/p99: latency of the first submission of each voter.
Targets: 0 lost, 0 duplicate, p99 < 300 ms. The ceiling: the same burst of requests to hello-world (/healthz: no
database, no template) through the same client, measured first in the same run.

Also runnable alone: `python bench/bench_ballots.py` (SQLite and PostgreSQL) or `--child` (the database
DATABASE_URL names, rows as JSON).
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import Site, child, measure, postgres_rows  # noqa: E402 - the shared server harness

VOTERS = 300
# (scenario, double taps, seconds over which the voters arrive): every voter at the same instant, and the
# same 300 voters arriving over 10 s (30 a second, far faster than a meeting hall hands in ballots).
SCENARIOS = (("burst", 50, 0.0), ("spread", 0, 10.0))
TARGET_P99_MS = 300.0

SETUP_SCRIPT = """
import datetime as dt, json
from apps.core import clock
from apps.accounts.models import Role
from apps.api.actions import create_api_token
from apps.meetings import actions
from apps.orgs.choices import OrgKind, OrgLevel
from apps.orgs.models import Appraisal
from tests import factories as f

county = f.org("中共基准县委员会", None, OrgLevel.COUNTY, OrgKind.ORGAN)
town = f.org("中共基准镇委员会", county, OrgLevel.TOWN, OrgKind.ORGAN)
office = f.user("bench_office", Role.TOWN_OFFICE, town)
campaign = f.campaign(office, town)
polls = {}
for scenario in ("burst", "spread"):
    village = f.org(f"基准村党支部（{scenario}）", town)
    members = [f.member(village) for _ in range(%(voters)d)]
    Appraisal.objects.bulk_create(Appraisal(member=m, year=campaign.appraisal_year, grade="qualified") for m in members)
    details = {"date": clock.today(), "place": "会议室", "chair": "甲", "recorder": "乙"}
    meeting = actions.create_meeting(office, campaign, village, details)
    meeting = actions.take_attendance(office, meeting, [m.pk for m in members], [], [])
    candidates = [actions.add_candidate(office, meeting, m, post="组长", deeds="事迹").pk for m in members[:5]]
    rnd, codes = actions.open_poll(office, meeting)
    polls[scenario] = {"meeting": meeting.pk, "candidates": candidates, "codes": codes, "max": rnd.max_choices}
token = create_api_token(office, name="bench")[1]
print("SETUP " + json.dumps({"polls": polls, "token": token}))
"""

COUNT_SCRIPT = """
import json
from apps.meetings.models import Ballot, BallotCode
print("COUNT " + json.dumps({
    str(m): {"ballots": Ballot.objects.filter(round__meeting=m).count(),
             "used_codes": BallotCode.objects.filter(round__meeting=m, used=True).count()}
    for m in %(meetings)r
}))
"""


def run() -> list[dict]:
    return measure_backend("sqlite") + postgres_rows(Path(__file__).resolve(), "ballots")


def _post(port: int, path: str, body: dict | None, token: str | None = None) -> tuple[int, float]:
    """One request on its own: POST body as JSON (GET when body is None); (status, milliseconds)."""
    return asyncio.run(_request(port, path, body, token))


async def _request(port: int, path: str, body: dict | None, token: str | None = None) -> tuple[int, float]:
    """A request on a connection of its own, as a phone opens one: (status, milliseconds), status 0 when the
    connection failed. asyncio rather than a thread per voter: 350 threads fighting for one interpreter lock
    made the client, not the server, the slowest part of a burst."""
    started = time.perf_counter()
    data = b"" if body is None else json.dumps(body).encode()
    head = [f"{'GET' if body is None else 'POST'} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    if body is not None:
        head += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
    if token:
        head.append(f"Authorization: Bearer {token}")
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 30)
        try:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
            await writer.drain()
            response = await asyncio.wait_for(reader.read(), 30)  # until the server closes: the whole answer
        finally:
            writer.close()
        status = int(response.split(b" ", 2)[1])
    except (OSError, TimeoutError, ValueError, IndexError):
        status = 0
    return status, (time.perf_counter() - started) * 1000


def _vote_all(port: int, poll: dict, *, double_taps: int, spread_s: float) -> tuple[list[int], list[float], list[int]]:
    """Every voter released together, each then waiting a random moment in [0, spread_s); the first
    `double_taps` voters also send a second request with the same code at once."""
    codes, candidates, max_choices = poll["codes"], poll["candidates"], poll["max"]
    n = len(codes)
    taps = min(double_taps, n)
    rng = random.Random(7)
    offsets = [rng.random() * spread_s for _ in range(n)]

    async def voter(i: int) -> tuple[int, float]:
        choice = [candidates[(i + k) % len(candidates)] for k in range(min(2, max_choices))]
        await asyncio.sleep(offsets[i])
        return await _request(port, "/api/v1/ballots", {"code": codes[i], "choices": choice})

    async def everyone():
        return await asyncio.gather(*(voter(i) for i in range(n)), *(voter(i) for i in range(taps)))

    answers = asyncio.run(everyone())
    first = [status for status, _ in answers[:n]]
    latency = [ms for _, ms in answers[:n]]
    second = [status for status, _ in answers[n:]]
    return first, latency, second


def _hello_burst(port: int, n: int) -> tuple[list[float], float]:
    """The ceiling: n requests at once, each GET /healthz (no database, no template) through the same client.
    Whatever p99 this gets, no ballot can beat on this machine."""

    async def everyone():
        return await asyncio.gather(*(_request(port, "/healthz", None) for _ in range(n)))

    asyncio.run(everyone())  # warm: both workers' threads started, the first connections made
    started = time.perf_counter()
    answers = asyncio.run(everyone())
    wall = time.perf_counter() - started
    statuses = sorted({status for status, _ in answers})
    if statuses != [200]:
        raise RuntimeError(f"hello-world answered {statuses}")
    return [ms for _, ms in answers], wall


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def _rows(bench: str, first, latency, second, wall: float, counts: dict, taps: int, spread: float) -> list[dict]:
    answers = first + second
    accepted = answers.count(201)
    failed = sum(1 for s in answers if s == 0 or s >= 500)
    lost = max(accepted - counts["ballots"], 0) + failed
    # Each code may give one ballot: a second 201 for a code, or more ballots than acknowledged, is a duplicate.
    double_accepted = sum(1 for i, s in enumerate(second) if s == 201 and first[i] == 201)
    duplicate = max(counts["ballots"] - accepted, 0) + double_accepted + max(counts["ballots"] - counts["used_codes"], 0)
    p50, p99 = _percentile(latency, 50), _percentile(latency, 99)
    other = sorted({s for s in answers if s not in (201, 409)})
    when = "all at once" if not spread else f"arriving over {spread:g} s"
    return [
        {"benchmark": bench, "measure": f"voters {when} (+{taps} double taps)", "value": len(first), "unit": "requests"},
        {
            "benchmark": bench,
            "measure": "accepted (201)",
            "value": accepted,
            "unit": "ballots",
            "target": f"={len(first)}",
            "ok": accepted == len(first),
        },
        {
            "benchmark": bench,
            "measure": "double taps refused (409)",
            "value": answers.count(409),
            "unit": "requests",
            "target": f"={taps}",
            "ok": answers.count(409) == taps,
        },
        {"benchmark": bench, "measure": "stored ballots", "value": counts["ballots"], "unit": "ballots"},
        {"benchmark": bench, "measure": "lost", "value": lost, "unit": "ballots", "target": "0", "ok": lost == 0},
        {"benchmark": bench, "measure": "duplicate", "value": duplicate, "unit": "ballots", "target": "0", "ok": duplicate == 0},
        {"benchmark": bench, "measure": "other statuses", "value": ",".join(map(str, other)) or "none", "unit": ""},
        {"benchmark": bench, "measure": "p50 latency", "value": p50, "unit": "ms"},
        {
            "benchmark": bench,
            "measure": "p99 latency",
            "value": p99,
            "unit": "ms",
            "target": f"<{TARGET_P99_MS:.0f}",
            "ok": p99 < TARGET_P99_MS,
        },
        {"benchmark": bench, "measure": "last ballot in after", "value": wall, "unit": "s"},
        # In a burst every request is queued at once: the last answer cannot come sooner than requests ÷ the
        # rate the server answers at, so this row bounds what p99 can be on this machine.
        {"benchmark": bench, "measure": "answered per second", "value": (len(first) + taps) / wall if wall else 0, "unit": "req/s"},
    ]


def measure_backend(label: str, database_url: str | None = None) -> list[dict]:
    return measure(f"ballots[{label}]", database_url, lambda site: _measure(site, f"ballots[{label}]"))


def _measure(site: Site, bench: str) -> list[dict]:
    site.prepare()
    setup = site.shell(SETUP_SCRIPT % {"voters": VOTERS}, "SETUP")
    site.start()
    rows: list[dict] = []
    results = {}
    burst = VOTERS + SCENARIOS[0][1]
    hello, hello_wall = _hello_burst(site.port, burst)
    rows += [
        {
            "benchmark": f"{bench} ceiling",
            "measure": f"hello-world, {burst} requests at once: p99",
            "value": _percentile(hello, 99),
            "unit": "ms",
        },
        {"benchmark": f"{bench} ceiling", "measure": "hello-world answered per second", "value": burst / hello_wall, "unit": "req/s"},
    ]
    for scenario, taps, spread in SCENARIOS:
        poll = setup["polls"][scenario]
        started = time.perf_counter()
        results[scenario] = (*_vote_all(site.port, poll, double_taps=taps, spread_s=spread), time.perf_counter() - started)
        status, _ = _post(site.port, f"/api/v1/meetings/{poll['meeting']}/poll/close", {}, token=setup["token"])
        if status != 200:
            raise RuntimeError(f"closing the poll answered {status}")
    meetings = [setup["polls"][s]["meeting"] for s, _, _ in SCENARIOS]
    counts = site.shell(COUNT_SCRIPT % {"meetings": meetings}, "COUNT", timeout=120)
    for scenario, taps, spread in SCENARIOS:
        first, latency, second, wall = results[scenario]
        rows += _rows(f"{bench} {scenario}", first, latency, second, wall, counts[str(setup["polls"][scenario]["meeting"])], taps, spread)
    return rows


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.exit(child(measure_backend))
    print(json.dumps(run(), ensure_ascii=False, indent=1))
