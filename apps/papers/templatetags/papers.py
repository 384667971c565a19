"""{% paper_links "papers:minutes" meeting.pk "会议记录" %} → the paper's PDF and Word download links, drawn
the same way on every page that offers a paper."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

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
        ((reverse(name, kwargs={"pk": pk, "fmt": fmt}), LABELS[fmt]) for fmt in kind.formats),
    )
    return format_html('<span class="paper-links">{}：{}</span>', label, links)
