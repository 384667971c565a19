"""The cheaper drawing of hot pages (issue 13) draws the same thing: a Python-drawn <select>, URLs
remembered per process, and query counts that do not grow with the rows shown."""

from __future__ import annotations

import html
import re

import pytest
from django import forms
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.audit.log import record
from apps.core.forms import FastSelect

CHOICES = [("", "全部"), ("a", "甲 <b>&"), (3, "三"), ('x"y', "引号")]


def _options(markup: str) -> list[tuple[str, bool, str]]:
    """Each option's value, whether it is selected, and its label, as a browser reads them (`"` may be written
    &quot; or &#34;: Django's widgets are drawn by the Jinja2 form renderer, which writes the second)."""
    return [
        (html.unescape(value), bool(selected.strip()), html.unescape(label))
        for value, selected, label in re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', markup)
    ]


@pytest.mark.parametrize("value", ["", "a", "3", None, "nope"])
def test_fast_select_draws_the_same_options_as_djangos(value):
    attrs = {"id": "id_f", "class": "input"}
    fast = FastSelect(choices=CHOICES).render("f", value, attrs)
    django = forms.Select(choices=CHOICES).render("f", value, attrs)
    assert _options(fast) == _options(django)
    opening = re.match(r"<select([^>]*)>", fast).group(1)
    assert sorted(opening.split()) == sorted(re.match(r"<select([^>]*)>", django).group(1).split())
    assert "<b>" not in fast


def test_fast_select_leaves_groups_to_django():
    grouped = [("甲组", [("a", "甲")]), ("b", "乙")]
    assert FastSelect(choices=grouped).render("f", "a") == forms.Select(choices=grouped).render("f", "a")


def test_cached_url_is_the_url():
    template = Template("{% load cached_url %}{% cached_url 'orgs:org_tree' %}|{% cached_url 'accounts:password_reset' pk %}")
    for pk in (1, 2, 1):
        assert template.render(Context({"pk": pk})) == f"{reverse('orgs:org_tree')}|{reverse('accounts:password_reset', args=[pk])}"


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["admin", "office"])
def test_audit_log_queries_do_not_grow_with_rows(world, login, who):
    client = login(getattr(world, who))
    few = _queries(client, "/audit/")
    for i in range(60):
        record(world.office, "member.update", world.member, changes={"电话": [f"{i}", f"{i + 1}"]}, note="测试")
    assert _queries(client, "/audit/") == few
    assert "测试" in client.get("/audit/").content.decode()


@pytest.mark.parametrize("who", ["office", "secretary"])
def test_appraisal_sheet_queries_do_not_grow_with_members(world, login, who):
    from apps.orgs.actions import create_member

    from .roster_files import cn_name, new_id
    from .test_member_rules import new_member

    client = login(getattr(world, who))
    url = f"/appraisals/?branch={world.village.pk}"
    few = _queries(client, url)
    for i in range(30):  # through the audited action, as every member arrives: the sheet's kept rows see them
        create_member(world.office, new_member(world, name=cn_name(200 + i), id_number=new_id(500 + i)))
    assert _queries(client, url) == few
    page = client.get(url).content.decode()
    assert cn_name(229) in page and page.count('<option value="" selected>未录入</option>') >= 30
