"""What each role should do next: apps register providers; the home page lists their tasks.

A provider is `fn(user, campaign) -> Iterable[Task]`. Later workflow steps (meetings, review, notices…)
add their own providers in their AppConfig.ready(), so the home page grows without being rewritten.

The home page asks a dozen providers (30 queries for a town office), yet what they read changes only when
someone acts, and every action writes an audit row: the home page keeps their tasks while nothing audited
changes (apps/audit/memo.py). A provider that reads data no action audits (the reminders' unread count)
registers with `live=True` and is asked on every request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from apps.core import clock

LEVELS = ("urgent", "todo", "info", "done")


@dataclass(frozen=True)
class Task:
    title: str
    detail: str = ""
    url: str = ""
    due: dt.date | None = None
    level: str = "todo"  # one of LEVELS
    order: int = 100

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < clock.today() and self.level != "done"

    @property
    def days_left(self) -> int | None:
        return None if self.due is None else (self.due - clock.today()).days


Provider = Callable[[object, object], Iterable[Task]]
_PROVIDERS: list[Provider] = []
_LIVE: set[Provider] = set()


def task_provider(fn: Provider | None = None, *, live: bool = False):
    """Register a provider (`@task_provider`); `@task_provider(live=True)` for one never served from the cache."""

    def register(fn: Provider) -> Provider:
        _PROVIDERS.append(fn)
        if live:
            _LIVE.add(fn)
        return fn

    return register(fn) if fn is not None else register


def tasks_for(user, campaign, live: bool | None = None) -> list[Task]:
    """The user's tasks, most urgent first: of every provider, or (`live=True`/`False`) of the live ones only or
    of the others only (the home page keeps the others' while nothing audited changes: apps/home/views.py)."""
    return ordered([t for p in _PROVIDERS if live is None or (p in _LIVE) == live for t in p(user, campaign)])


def ordered(tasks: list[Task]) -> list[Task]:
    return sorted(tasks, key=lambda t: (LEVELS.index(t.level), t.order, t.due or dt.date.max))
