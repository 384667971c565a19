"""What each role should do next: apps register providers; the home page lists their tasks.

A provider is `fn(user, campaign) -> Iterable[Task]`. Later workflow steps (meetings, review, notices…)
add their own providers in their AppConfig.ready(), so the home page grows without being rewritten.

The home page asks a dozen providers (30 queries for a town office), yet what they read changes only when
someone acts, and every action writes an audit row. So `tasks_for(..., generation=…)` keeps the providers'
tasks in the shared cache under the audit chain's head (apps.audit.chain.head_mark, read before the providers run, as the
public pages read their generation): any audited change anywhere makes the next home page ask the providers
again, and FRESH_SECONDS bounds what a change made outside the actions (a fixture, a shell) can leave stale.
A provider that reads data no action audits (the reminders' unread count) registers with `live=True` and
is asked on every request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache

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
        return self.due is not None and self.due < dt.date.today() and self.level != "done"

    @property
    def days_left(self) -> int | None:
        return None if self.due is None else (self.due - dt.date.today()).days


Provider = Callable[[object, object], Iterable[Task]]
_PROVIDERS: list[Provider] = []
_LIVE: set[Provider] = set()
FRESH_SECONDS = 60


def task_provider(fn: Provider | None = None, *, live: bool = False):
    """Register a provider (`@task_provider`); `@task_provider(live=True)` for one never served from the cache."""

    def register(fn: Provider) -> Provider:
        _PROVIDERS.append(fn)
        if live:
            _LIVE.add(fn)
        return fn

    return register(fn) if fn is not None else register


def tasks_for(user, campaign, generation: object = None) -> list[Task]:
    """The user's tasks, most urgent first. With a `generation` (a value that changes whenever the data the
    providers read may have: see the module's docstring), the tasks of the providers that are not live come
    from the shared cache when they were computed under the same generation, the same day."""
    tasks: list[Task] = []
    stored = None
    if generation is not None:
        key = f"home:tasks:{user.pk}:{getattr(campaign, 'pk', 0)}:{dt.date.today().isoformat()}:{generation}"
        stored = cache.get(key)
        if stored is None:
            stored = [t for provider in _PROVIDERS if provider not in _LIVE for t in provider(user, campaign)]
            cache.set(key, stored, FRESH_SECONDS)
        tasks.extend(stored)
    for provider in _PROVIDERS:
        if stored is None or provider in _LIVE:
            tasks.extend(provider(user, campaign))
    return sorted(tasks, key=lambda t: (LEVELS.index(t.level), t.order, t.due or dt.date.max))
