"""The ballot races, shared by tests/test_meetings_concurrency.py and runnable alone against a file SQLite
database in WAL mode, as deployed (pytest's in-memory SQLite can't take concurrent writers):

    SQLITE_PATH=/tmp/x.sqlite3 TESTING=1 python -m tests.meetings_race   → one JSON line
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter
from types import SimpleNamespace


def race(n: int, fn) -> list[str]:
    """Run fn(i) in n threads released at once; each thread's outcome as a word."""
    from django.db import connection
    from django.http import Http404

    from apps.core.actions import Conflict

    barrier = threading.Barrier(n)
    outcomes: list[str] = [""] * n

    def worker(i):
        try:
            barrier.wait()
            fn(i)
            outcomes[i] = "ok"
        except Conflict:
            outcomes[i] = "conflict"
        except Http404:
            outcomes[i] = "closed"
        except Exception as exc:  # noqa: BLE001 - reported to the caller
            outcomes[i] = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return outcomes


def one_code_race(w, threads: int = 50) -> dict:
    """One code submitted by `threads` threads at once."""
    from apps.meetings import actions
    from apps.meetings.models import Ballot, BallotCode

    from .build_meetings import ready_meeting

    m, cands = ready_meeting(w, voters=10, candidates=3)
    rnd, codes = actions.open_poll(w.secretary, m)
    outcomes = race(threads, lambda i: actions.cast_ballot(codes[0], [cands[i % 3].pk]))
    return {
        "outcomes": dict(Counter(outcomes)),
        "ballots": Ballot.objects.filter(round=rnd).count(),
        "used_codes": BallotCode.objects.filter(round=rnd, used=True).count(),
    }


def close_race(w, voters: int = 40) -> dict:
    """`voters` ballots with distinct codes and one close, all at once."""
    from apps.meetings import actions
    from apps.meetings.models import Ballot, BallotCode, PollRound

    from .build_meetings import ready_meeting

    m, cands = ready_meeting(w, voters=voters + 10, candidates=3)
    rnd, codes = actions.open_poll(w.secretary, m)
    actions.cast_ballot(codes[-1], [cands[0].pk])  # one ballot before the race: a poll nobody voted in can't close

    def act(i):
        if i == voters // 2:
            actions.close_poll(w.secretary, m)
        else:
            actions.cast_ballot(codes[i], [cands[i % 3].pk])

    outcomes = race(voters + 1, act)
    rnd = PollRound.objects.get(pk=rnd.pk)
    return {
        "outcomes": dict(Counter(outcomes)),
        "close": outcomes[voters // 2],
        "accepted": 1 + sum(1 for i, o in enumerate(outcomes) if o == "ok" and i != voters // 2),
        "status": rnd.status,
        "used": rnd.used,
        "ballots": Ballot.objects.filter(round=rnd).count(),
        "used_codes": BallotCode.objects.filter(round=rnd, used=True).count(),
        "votes": sum(rnd.results.values_list("votes", flat=True)),
    }


def small_world(suffix: str = "") -> SimpleNamespace:
    """A town with one village branch, its secretary and a campaign (what the races need)."""
    from apps.accounts.models import Role
    from apps.orgs.choices import OrgKind, OrgLevel

    from . import factories as f

    county = f.org(f"中共竞速县委员会{suffix}", None, OrgLevel.COUNTY, OrgKind.ORGAN)
    town = f.org("中共竞速镇委员会", county, OrgLevel.TOWN, OrgKind.ORGAN)
    village = f.org("竞速村党支部", town)
    office = f.user(f"race_office{suffix}", Role.TOWN_OFFICE, town)
    secretary = f.user(f"race_secretary{suffix}", Role.BRANCH_SECRETARY, village)
    member = f.member(village, "竞速甲")
    return SimpleNamespace(town=town, village=village, office=office, secretary=secretary, member=member, campaign=f.campaign(office, town))


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    result = {"vendor": django.db.connection.vendor}
    result["one_code"] = one_code_race(small_world("1"))
    result["close"] = close_race(small_world("2"))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
