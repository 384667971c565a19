"""`{{ value|plain }}`: a decimal as people write it (apps/core/numbers.py)."""

from django import template

from apps.core import numbers

register = template.Library()


@register.filter
def plain(value):
    return numbers.plain(value) if value is not None else ""
