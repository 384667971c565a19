"""`{% cached_url 'app:name' arg %}`: `{% url %}` remembered per process.

A URL is a function of its name, its arguments and the script prefix only, and reversing one costs more
than rendering a table cell: the navigation bar on every page reversed 18 of them on each request (most
of the time base.html took). Use it for links whose arguments are few and repeat (the navigation bar),
not for a link per row of a table (the cache holds a bounded number of URLs)."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()


@lru_cache(maxsize=4096)
def _reverse(prefix: str, viewname: str, args: tuple) -> str:
    return reverse(viewname, args=args or None)


@register.simple_tag
def cached_url(viewname: str, *args) -> str:
    """Also for Python code that writes links (the navigation bar, apps/core/templatetags/nav.py)."""
    return _reverse(get_script_prefix(), viewname, tuple(str(a) for a in args))
