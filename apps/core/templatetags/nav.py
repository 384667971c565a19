"""`{% main_nav %}`: the navigation bar of every signed-in page, written from one table (NAV).

As template text it cost ~0.26 ms of every signed-in page (15 links, a role check for most of them, each through
the template language), about a quarter of what a plain page costs in all. Written here it costs a few dozen
microseconds, and who sees which link reads as one table. To add a link: one row of NAV (the label, the URL's name,
who sees it, or None for everyone)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from django import template
from django.utils.safestring import mark_safe

from .cached_url import cached_url

register = template.Library()

Who = Callable[[object], bool] | None

NAV: list[tuple[str, str, Who]] = [
    ("首页", "home:index", None),
    ("示范行动", "campaigns:campaign_current", None),
    ("示范岗推荐", "nominations:nominations_current", lambda u: not u.is_inspector),
    ("示范村", "villages:villages_current", None),
    ("进度督查", "oversight:board_current", lambda u: not u.is_inspector),
    ("党组织", "orgs:org_tree", None),
    ("党员", "orgs:member_list", lambda u: not u.is_inspector),
    ("民主评议", "orgs:appraisal_sheet", lambda u: u.manages_members),
    ("审计日志", "audit:audit_list", lambda u: u.is_admin_role or u.is_town_office),
    ("账号", "accounts:user_list", lambda u: u.is_admin_role or u.is_town_office),
    ("公示与表彰", "notices:notices_current", None),
    ("典型事迹", "publicity:story_list", lambda u: u.manages_town or u.is_branch_secretary),
    ("节假日表", "workdays:calendar", None),
]
# After the user's name: their own links (label, URL name, whether the URL takes the user's id, the user's attribute
# whose count follows the label when it is not zero: the unread reminders, read with the session by apps/oversight).
OWN: list[tuple[str, str, bool, str | None]] = [
    ("改密码", "accounts:password_reset", True, None),
    ("提醒", "oversight:notifications", False, "unread_notifications"),
    ("接口令牌", "tokens:token_list", False, None),
]


@register.simple_tag(takes_context=True)
def main_nav(context) -> str:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""  # a page without a signed-in user (or rendered without one) has no navigation
    links = [f'<a href="{escape(cached_url(name))}">{label}</a>' for label, name, who in NAV if who is None or who(user)]
    who = f"{escape(str(user))} · {escape(user.get_role_display())}"
    if user.organization:
        who += f" · {escape(str(user.organization))}"
    own = [
        f'<a href="{escape(cached_url(name, *([user.pk] if mine else [])))}">{label}{_count(user, badge)}</a>'
        for label, name, mine, badge in OWN
    ]
    token = escape(str(context.get("csrf_token", "")))
    logout = escape(cached_url("accounts:logout"))
    return mark_safe(  # noqa: S308 - the labels are constants, every other value is escaped
        '<input type="checkbox" id="navtoggle" class="navtoggle" aria-label="菜单"><label for="navtoggle" class="navbutton">菜单</label>\n'
        '  <nav class="mainnav">\n    '
        + "\n    ".join([*links, f'<span class="who">{who}</span>', *own])
        + f'\n    <form method="post" action="{logout}" class="inline"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        '<button class="linkbutton">退出</button></form>\n  </nav>'
    )


def _count(user, attribute: str | None) -> str:
    count = getattr(user, attribute, 0) if attribute else 0
    return f'<span class="count">（{int(count)}）</span>' if count else ""
