"""`{% badge value "ChoiceSetName" %}`: the value's Chinese label in its colour."""

from django import template
from django.utils.html import format_html

from apps.core.choices import choice_set

register = template.Library()


@register.simple_tag
def badge(value, set_name: str):
    cls = choice_set(set_name)
    try:
        member = cls(value)
    except ValueError:
        return format_html('<span class="badge badge-grey">{}</span>', value or "—")
    return format_html('<span class="badge badge-{}">{}</span>', member.colour, member.label)
