"""{% paper_links "papers:minutes" meeting.pk "会议记录" %} → the paper's PDF and Word download links, drawn
the same way on every page that offers a paper."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join

from apps.core.rows import ID_MARKER

from ..registry import REGISTRY

register = template.Library()

LABELS = {"pdf": "PDF", "docx": "Word"}


@register.simple_tag
def paper_links(name: str, pk, label: str, key: str = ""):
    """`key` is the registry key when it differs from the URL name (its formats limit the links)."""
    kind = REGISTRY[key or name.split(":")[-1]]
    links = format_html_join(
        " ",
        '<a class="button small" href="{}">{}</a>',
        ((_pattern(name, fmt, get_script_prefix(), get_urlconf()).replace(ID_MARKER, str(pk)), LABELS[fmt]) for fmt in kind.formats),
    )
    return format_html('<span class="paper-links">{}：{}</span>', label, links)


@lru_cache(maxsize=256)
def _pattern(name: str, fmt: str, prefix: str, urlconf) -> str:
    """One reverse() per paper and format for the process, not one per link: a list page draws dozens."""
    return reverse(name, kwargs={"pk": ID_MARKER, "fmt": fmt}, urlconf=urlconf)
