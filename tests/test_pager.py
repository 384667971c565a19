"""{% pager %} (apps/core/templatetags/pager.py): the pager under every paged list."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template import Context, Template

PAGER = Template("{% load pager %}{% pager %}")


def _pager(number: int, count: int = 120, query: str = "") -> str:
    page = Paginator(range(count), 50).get_page(number)
    return PAGER.render(Context({"page": page, "query": query}))


def test_the_first_middle_and_last_pages_link_where_they_can_go():
    first, middle, last = _pager(1), _pager(2), _pager(3)
    assert "上一页" not in first and '<a href="?page=2">下一页</a>' in first
    assert '<a href="?page=1">上一页</a>' in middle and '<a href="?page=3">下一页</a>' in middle
    assert '<a href="?page=2">上一页</a>' in last and "下一页" not in last
    assert "<span>第 2 / 3 页，共 120 条</span>" in middle


def test_one_page_shows_the_count_only():
    assert _pager(1, count=7) == '<p class="muted">共 7 条</p>'
    assert _pager(1, count=0) == '<p class="muted">共 0 条</p>'


def test_the_links_keep_the_query_escaped():
    html = _pager(2, query='q=王&branch=3"><script>')
    assert '<a href="?q=王&amp;branch=3&quot;&gt;&lt;script&gt;&page=1">上一页</a>' in html
    assert "<script>" not in html
