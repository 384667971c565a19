"""What each role should do next: apps register providers; the home page lists their tasks.

A provider is `fn(user, campaign) -> Iterable[Task]`. Later workflow steps (meetings, review, notices…)
add their own providers in their AppConfig.ready(), so the home page grows without being rewritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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


def task_provider(fn: Provider) -> Provider:
    _PROVIDERS.append(fn)
    return fn


def tasks_for(user, campaign) -> list[Task]:
    tasks: list[Task] = []
    for provider in _PROVIDERS:
        tasks.extend(provider(user, campaign))
    return sorted(tasks, key=lambda t: (LEVELS.index(t.level), t.order, t.due or dt.date.max))
