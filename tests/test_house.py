"""The house patterns every app copies: layers, scoped fetch, blockers, coloured choices, audit codes."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from apps.audit.log import PUBLIC, VOTER, record
from apps.audit.models import AuditLog
from apps.core.actions import ActionError, Conflict, refuse
from apps.core.choices import ChoiceSet, coloured
from apps.core.fetch import fetch
from apps.orgs.choices import MemberStatus
from apps.orgs.models import Member

ROOT = Path(__file__).resolve().parent.parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_core_imports_no_domain_app():
    offenders = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / "apps" / "core").rglob("*.py")
        for module in _imported_modules(path)
        if module.startswith("apps.") and not module.startswith("apps.core")
    }
    assert not offenders


def test_fetch_gives_404_outside_scope_and_403_to_a_role_that_may_not_act(world):
    assert fetch(world.secretary, Member.objects, pk=world.member.pk) == world.member
    with pytest.raises(Http404):
        fetch(world.secretary, Member.objects, pk=world.member2.pk)
    with pytest.raises(Http404):  # the scope first: no hint that the object exists
        fetch(world.secretary, Member.objects, pk=world.member2.pk, may=lambda user: False)
    with pytest.raises(PermissionDenied):
        fetch(world.approver, Member.objects, pk=world.member.pk, may=lambda user: user.manages_members)


def test_fetch_is_one_query(world):
    user = type(world.office).objects.get(pk=world.office.pk)
    user.scope  # noqa: B018 - computed once per user object, as a request does at its first scoped query
    with CaptureQueriesContext(connection) as queries:
        fetch(user, Member.objects, pk=world.member.pk)
    assert len(queries) == 1


def test_visible_to_follows_each_axis(world):
    assert set(Member.objects.visible_to(world.county_user)) >= {world.member, world.far_member}
    assert not Member.objects.visible_to(world.inspector).exists()  # organizations without their members
    assert set(type(world.campaign).objects.visible_to(world.secretary)) == {world.campaign}  # the town's campaign
    assert not Member.objects.visible_to(None).exists()


def test_refuse_lists_every_reason_and_a_conflict_is_an_action_error():
    refuse([])
    with pytest.raises(ActionError) as exc:
        refuse(["超出名额：正式党员 37 人 × 10% = 3.7，不超过 → 3 人", "已超过申报截止日期"])
    assert exc.value.blockers == ["超出名额：正式党员 37 人 × 10% = 3.7，不超过 → 3 人", "已超过申报截止日期"]
    with pytest.raises(Conflict):
        refuse(["该推荐已由他人审批"], conflict=True)
    with pytest.raises(ActionError) as exc:
        refuse({"year": ["年度无效"]})
    assert exc.value.blockers == ["年度无效"]


def test_choice_sets_carry_label_and_colour():
    assert (MemberStatus.ACTIVE.label, MemberStatus.ACTIVE.colour) == ("在册", "green")
    html = Template('{% load badges %}{% badge value "MemberStatus" %}').render(Context({"value": "suspended"}))
    assert html == '<span class="badge badge-orange">停止党籍</span>'
    assert "badge-grey" in Template('{% load badges %}{% badge value "MemberStatus" %}').render(Context({"value": "<b>"}))
    assert "<b>" not in Template('{% load badges %}{% badge value "MemberStatus" %}').render(Context({"value": "<b>"}))


def test_a_colour_outside_the_stylesheet_is_refused():
    with pytest.raises(ValueError):

        @coloured(A="purple")
        class Odd(ChoiceSet):
            A = "a", "甲"


def test_audit_refuses_an_undeclared_action_code(world):
    with pytest.raises(ValueError):
        record(world.office, "member.creat", world.member)
    assert not AuditLog.objects.filter(action="member.creat").exists()


def test_anonymous_actors_are_logged_without_identity(world):
    row = record(VOTER, "member.reveal", world.member, ip="203.0.113.9")
    assert (row.actor_id, row.actor_label, row.ip) == (None, "匿名投票人", None)
    row = record(PUBLIC, "member.reveal", world.member)
    assert (row.actor_id, row.actor_label) == (None, "公众（未登录）")


def test_the_wsgi_entry_point_freezes_what_is_loaded():
    """config/wsgi.py moves the loaded program out of the collector's reach (gc.freeze) once the application is up."""
    script = "import gc, config.wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "TESTING": "1"}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert int(out.stdout.strip().splitlines()[-1]) > 10_000  # Django and the apps, not a handful of objects
