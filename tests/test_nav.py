"""The navigation bar (apps/core/templatetags/nav.py): who sees which link, what it names, and its sign-out form."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

ALL = [
    "首页",
    "示范行动",
    "示范岗推荐",
    "示范村",
    "进度督查",
    "党组织",
    "党员",
    "民主评议",
    "审计日志",
    "账号",
    "公示与表彰",
    "典型事迹",
    "节假日表",
]
OWN = ["改密码", "提醒", "接口令牌"]


def nav(html: str) -> str:
    return re.search(r'<nav class="mainnav">(.*?)</nav>', html, re.S).group(1)


def labels(html: str) -> list[str]:
    return re.findall(r"<a href=\"[^\"]+\">([^<]+)</a>", nav(html))


@pytest.mark.parametrize(
    ("who", "hidden"),
    [
        ("admin", set()),
        ("office", set()),
        ("approver", {"民主评议", "审计日志", "账号", "典型事迹"}),
        ("secretary", {"审计日志", "账号"}),
        ("inspector", {"示范岗推荐", "进度督查", "党员", "民主评议", "审计日志", "账号", "典型事迹"}),
        ("county_user", {"民主评议", "审计日志", "账号", "典型事迹"}),
    ],
)
def test_each_role_sees_its_links_in_order(world, login, who, hidden):
    user = getattr(world, who)
    client = login(user)
    html = client.get("/orgs/").content.decode()
    assert labels(html) == [label for label in ALL if label not in hidden] + OWN
    for href in re.findall(r'<a href="([^"]+)">', nav(html)):
        assert client.get(href, follow=True).status_code == 200, href
    assert f'<a href="{reverse("accounts:password_reset", args=[user.pk])}">改密码</a>' in nav(html)  # their own


def test_the_nav_names_the_user_escaped(world, login):
    world.office.display_name = '<b onmouseover="x()">某</b>'
    world.office.save()
    html = login(world.office).get("/orgs/").content.decode()
    who = re.search(r'<span class="who">(.*?)</span>', nav(html)).group(1)
    assert who == "&lt;b onmouseover=&quot;x()&quot;&gt;某&lt;/b&gt; · 镇党建办 · 中共东岭镇委员会"


def test_the_sign_out_form_carries_the_token_and_signs_out(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.office)
    html = client.get("/orgs/").content.decode()
    form = re.search(
        r'<form method="post" action="([^"]+)" class="inline"><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">', nav(html)
    )
    assert client.post(form.group(1), {"csrfmiddlewaretoken": form.group(2)}).status_code == 302
    assert client.get("/orgs/").status_code == 302  # signed out: to the login page


def test_a_page_without_a_user_has_no_nav(db):
    assert 'class="mainnav"' not in Client().get("/accounts/login/").content.decode()


def test_a_page_rendered_without_a_user_has_no_nav():
    from django.template.loader import render_to_string

    assert 'class="mainnav"' not in render_to_string("core/error.html", {"code": 500, "title": "系统错误", "text": "测试"})


def test_the_unread_reminders_follow_their_link_on_every_page(world, login):
    from apps.oversight.models import Notification

    client = login(world.office)
    assert "提醒</a>" in nav(client.get("/orgs/").content.decode())
    for i in range(2):
        Notification.objects.create(user=world.office, kind="deadline", key=f"test:{i}", title="截止临近")
    Notification.objects.create(user=world.approver, kind="deadline", key="test:0", title="截止临近")  # not theirs
    assert '提醒<span class="count">（2）</span></a>' in nav(client.get("/orgs/").content.decode())
    client.post(reverse("oversight:notifications"))  # marks them read
    assert "提醒</a>" in nav(client.get("/members/").content.decode())
