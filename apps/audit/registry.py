"""Audit action codes, declared once with their Chinese labels.

Each app declares its codes as a `models.TextChoices` in its `audit.py` and registers the class in its
AppConfig.ready(); actions pass the enum member to `record()`, which refuses a code nobody declared.

    class OrgAudit(models.TextChoices):
        MEMBER_CREATE = "member.create", "新增党员"
"""

from __future__ import annotations

from django.db import models

_LABELS: dict[str, str] = {}


def register_actions(*choice_classes: type[models.TextChoices]) -> None:
    for cls in choice_classes:
        for value, label in cls.choices:
            if _LABELS.get(value, label) != label:
                raise ValueError(f"audit action {value} declared twice with different labels")
            _LABELS[value] = str(label)


def is_registered(code: str) -> bool:
    return code in _LABELS


def action_label(code: str) -> str:
    return _LABELS.get(code, code)


def all_actions() -> list[tuple[str, str]]:
    return sorted(_LABELS.items(), key=lambda kv: kv[0])
