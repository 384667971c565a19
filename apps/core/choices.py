"""Choice sets with a Chinese label and a badge colour (after NetBox's ChoiceSet).

    @coloured(ACTIVE="green", TRANSFERRED="grey")
    class MemberStatus(ChoiceSet):
        ACTIVE = "active", "在册"

`MemberStatus.ACTIVE.colour` is "green"; templates draw `{% badge member.status "MemberStatus" %}`.
The colours are the CSS classes `badge-<colour>` of static/css/site.css.
"""

from __future__ import annotations

from django.db import models

COLOURS = ("red", "orange", "green", "blue", "grey")
_REGISTRY: dict[str, type[ChoiceSet]] = {}


class ChoiceSet(models.TextChoices):
    @property
    def colour(self) -> str:
        return getattr(type(self), "_colours", {}).get(self.name, "grey")


def coloured(**colours: str):
    """Class decorator: the badge colour of each member, by member name; registers the set for `badge`."""

    def decorate(cls):
        unknown = set(colours) - set(cls.names)
        bad = set(colours.values()) - set(COLOURS)
        if unknown or bad:
            raise ValueError(f"{cls.__name__}: unknown members {unknown} or colours {bad}")
        cls._colours = colours
        register(cls)
        return cls

    return decorate


def register(cls):
    if cls.__name__ in _REGISTRY and _REGISTRY[cls.__name__] is not cls:
        raise ValueError(f"two choice sets named {cls.__name__}")
    _REGISTRY[cls.__name__] = cls
    return cls


def choice_set(name: str) -> type[ChoiceSet]:
    return _REGISTRY[name]
