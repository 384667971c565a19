"""Prepares a file database for tests/test_durability.py (run in a child process, SQLITE_PATH set):

SQLITE_PATH=/tmp/x.sqlite3 TESTING=1 python -m tests.durability_setup demo    → the demo data (DEMO_MODE=1)
SQLITE_PATH=/tmp/x.sqlite3 TESTING=1 python -m tests.durability_setup poll N  → JSON {round, candidates, codes}
"""

from __future__ import annotations

import json
import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    if argv[0] == "demo":
        call_command("load_demo", verbosity=0)
        return 0
    from apps.meetings import actions

    from .build_meetings import ready_meeting
    from .meetings_race import small_world

    w = small_world("d")
    m, cands = ready_meeting(w, voters=int(argv[1]), candidates=3)
    rnd, codes = actions.open_poll(w.secretary, m)
    print(json.dumps({"round": rnd.pk, "candidates": [c.pk for c in cands], "codes": codes}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
