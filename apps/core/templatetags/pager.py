"""`{% pager %}`: the pager under a paged list (the context's `page`, a django.core.paginator.Page, and `query`,
the list's other query parameters), written in one pass: as an included template its dozen nodes, each looking
`page.paginator.…` up through the context, cost a list page about as much as its rows (the member list, issue 13)."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def pager(context) -> SafeString:
    page = context["page"]
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return mark_safe(f'<p class="muted">共 {int(paginator.count)} 条</p>')  # noqa: S308 - a number
    query = context.get("query") or ""
    link = f"?{conditional_escape(query)}&page=" if query else "?page="
    previous = f'<a href="{link}{page.previous_page_number()}">上一页</a>' if page.has_previous() else ""
    following = f'<a href="{link}{page.next_page_number()}">下一页</a>' if page.has_next() else ""
    return mark_safe(  # noqa: S308 - the query escaped, the rest numbers and constants
        f'<nav class="pager">\n  {previous}\n  <span>第 {int(page.number)} / {int(paginator.num_pages)} 页，'
        f"共 {int(paginator.count)} 条</span>\n  {following}\n</nav>"
    )
