"""The audit log: one row per change with who, what, which object and before → after; the page that shows it."""

from __future__ import annotations

import copy
import datetime as dt
import html as htmllib
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from apps.accounts import actions as account_actions
from apps.accounts.models import Role, User
from apps.audit.log import record
from apps.audit.models import AuditLog
from apps.audit.registry import action_label, all_actions
from apps.campaigns import actions as campaign_actions
from apps.campaigns.models import Target
from apps.core import clock
from apps.core.idcard import make_id
from apps.orgs import actions as org_actions
from apps.orgs.choices import Grade, MemberStatus, OrgKind, OrgLevel

from . import factories as f

TZ = ZoneInfo("Asia/Shanghai")


def _new_member(w):
    birth = dt.date(1988, 8, 8)
    return org_actions.create_member(
        w.secretary,
        {
            "name": "新党员",
            "id_number": make_id("369901", birth, 777),
            "branch": w.village,
            "category": "formal",
            "joined_on": dt.date(2012, 7, 1),
            "confirmed_on": dt.date(2013, 7, 1),
        },
    )


# Each: (action code, actor attribute, function doing the change and returning its target, whether it has before → after)
CHANGES = [
    ("member.create", "secretary", _new_member, True),
    ("member.update", "secretary", lambda w: org_actions.update_member(w.secretary, w.member, {"post": "网格员"}), True),
    (
        "member.transfer",
        "office",
        lambda w: org_actions.transfer_member(w.office, w.member, to_branch=w.village2, reason="居住地变更"),
        True,
    ),
    (
        "member.transfer",
        "secretary",
        lambda w: org_actions.transfer_member(w.secretary, w.member, status=MemberStatus.DECEASED, reason="病故"),
        True,
    ),
    ("member.reveal", "office", lambda w: org_actions.reveal_member_pii(w.office, w.member) and w.member, False),
    ("appraisal.create", "secretary", lambda w: org_actions.record_appraisal(w.secretary, w.member, 2024, Grade.EXCELLENT), True),
    (
        "appraisal.update",
        "secretary",
        lambda w: (
            org_actions.record_appraisal(w.secretary, w.member, 2024, Grade.QUALIFIED)
            and AuditLog.objects.all().delete()
            and org_actions.record_appraisal(w.secretary, w.member, 2024, Grade.BASIC)
        ),
        True,
    ),
    (
        "org.create",
        "office",
        lambda w: org_actions.create_organization(
            w.office, {"name": "北岭村党支部", "parent": w.town, "level": OrgLevel.BRANCH, "kind": OrgKind.VILLAGE}
        ),
        True,
    ),
    ("org.update", "office", lambda w: org_actions.update_organization(w.office, w.village, {"secretary_name": "陈春生"}), True),
    (
        "campaign.update",
        "office",
        lambda w: campaign_actions.update_campaign(w.office, w.campaign, {"post_quota_percent": Decimal("12.5")}),
        True,
    ),
    (
        "campaign.create",
        "office",
        lambda w: f.campaign(
            w.office, w.town, year=w.campaign.year + 1, deadline=dt.date(w.campaign.year + 1, 12, 1), appraisal_year=w.campaign.year
        ),
        True,
    ),
    (
        "criterion.create",
        "office",
        lambda w: campaign_actions.save_criterion(
            w.office, w.campaign, {"target": Target.VILLAGE, "order": 6, "title": "乡风文明", "text": "移风易俗。"}
        ),
        True,
    ),
    (
        "criterion.update",
        "office",
        lambda w: campaign_actions.save_criterion(
            w.office,
            w.campaign,
            {"target": Target.POST, "order": 1, "title": "政治过硬", "text": "新的内容"},
            w.campaign.criteria.get(target=Target.POST, order=1),
        ),
        True,
    ),
    ("criterion.delete", "office", lambda w: _delete_criterion(w), True),
    (
        "user.create",
        "office",
        lambda w: account_actions.create_user(
            w.office,
            {"username": "newone", "role": Role.BRANCH_SECRETARY, "organization": w.organ, "display_name": "新书记"},
            "Qingshan-2026!",
        ),
        True,
    ),
    ("user.update", "office", lambda w: account_actions.update_user(w.office, w.secretary, {"display_name": "陈春生"}), True),
    ("user.password", "office", lambda w: account_actions.reset_password(w.office, w.secretary, "Qingshan-2026!") or w.secretary, False),
]


def _delete_criterion(w):
    criterion = w.campaign.criteria.get(target=Target.VILLAGE, order=5)
    gone = copy.copy(criterion)  # keeps the pk that delete() clears
    campaign_actions.delete_criterion(w.office, criterion)
    return gone


@pytest.mark.parametrize(("action", "actor", "change", "has_diff"), CHANGES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CHANGES)])
def test_every_change_writes_exactly_one_audit_row(world, action, actor, change, has_diff):
    before = set(AuditLog.objects.values_list("pk", flat=True))
    target = change(world)
    rows = AuditLog.objects.exclude(pk__in=before)
    assert [r.action for r in rows] == [action]
    log = rows.get()
    user = getattr(world, actor)
    assert (log.actor, log.actor_label) == (user, f"{user}（{user.username}）")
    assert log.target_type == target._meta.label_lower
    assert log.target_id == str(target.pk)
    assert log.target_repr == str(target)[:200]
    assert log.town == world.town
    assert log.at is not None
    assert action_label(log.action) != log.action  # a Chinese label on the audit page
    if has_diff:
        assert log.changes, "before → after is recorded"
        assert all(isinstance(pair, list) and len(pair) == 2 and pair[0] != pair[1] for pair in log.changes.values())
    else:
        assert log.note


def test_a_refused_change_writes_nothing(world):
    before = AuditLog.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied or ActionError, either way nothing is written
        org_actions.update_member(world.secretary2, world.member, {"post": "伪造"})
    with pytest.raises(Exception):  # noqa: B017
        org_actions.update_member(world.secretary, world.member, {"joined_on": dt.date(1900, 1, 1)})
    assert AuditLog.objects.count() == before


def test_before_and_after_read_as_labels(world):
    org_actions.transfer_member(world.office, world.member, to_branch=world.village2, status=MemberStatus.TRANSFERRED, reason="外出务工")
    log = AuditLog.objects.get(action="member.transfer")
    assert log.changes["所在党支部"] == ["东岭村党支部", "南坑村党支部"]
    assert log.changes["状态"] == ["在册", "转出"]
    assert log.changes["状态变更日期"] == ["", clock.today().isoformat()]


def test_yes_no_fields_read_as_chinese_words(world, login):
    """A boolean is logged as 是/否: never Python's True on the audit page, nor a False drawn as （空）."""
    account_actions.update_user(world.office, world.secretary, {"is_active": False})
    log = AuditLog.objects.get(action="user.update")
    assert log.changes["有效"] == ["是", "否"]
    page = login(world.office).get("/audit/?action=user.update").content.decode()
    assert "是 → 否" in page
    assert "True" not in page and "False" not in page


def test_older_rows_with_booleans_read_as_words_too(world, login):
    record(world.office, "member.update", world.member, town=world.town, changes={"有效": [True, False]})
    page = login(world.office).get("/audit/?action=member.update").content.decode()
    assert "是 → 否" in page
    assert "True" not in page


# --- the audit page ---------------------------------------------------------------------------------------------------


@pytest.fixture
def history(world):
    """A few dated rows in each town."""
    AuditLog.objects.all().delete()
    rows = [
        (world.office, "member.update", world.member, world.town, dt.datetime(2025, 3, 10, 9, 0, tzinfo=TZ)),
        (world.secretary, "appraisal.create", world.member, world.town, dt.datetime(2025, 3, 12, 23, 30, tzinfo=TZ)),
        (world.office, "org.update", world.village, world.town, dt.datetime(2025, 4, 1, 0, 15, tzinfo=TZ)),
        (world.other_office, "org.update", world.far_village, world.other_town, dt.datetime(2025, 3, 11, 10, 0, tzinfo=TZ)),
    ]
    for actor, action, target, town, at in rows:
        log = record(actor, action, target, town=town, changes={"备注": ["", action]})
        AuditLog.objects.filter(pk=log.pk).update(at=at)
    return world


def page_rows(response) -> list[tuple[str, str]]:
    """The rows the page shows, as (action code, target), read from its HTML: the rows are drawn into the kept body."""
    codes = {label: code for code, label in all_actions()}
    cells = re.findall(r'<tr><td class="nowrap">[^<]*</td><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>', response.content.decode())
    rows = [(codes.get(label, label), htmllib.unescape(target)) for label, target in cells]
    return [row for row in rows if row[0] != "user.login"]  # the test's own login is in the log too; leave it out


def test_office_sees_its_towns_rows_only(history, login):
    response = login(history.office).get("/audit/")
    assert response.status_code == 200
    assert page_rows(response) == [("org.update", "东岭村党支部"), ("appraisal.create", "张三"), ("member.update", "张三")]
    html = response.content.decode()
    assert "西岭村党支部" not in html
    assert "修改党员信息" in html  # the action's Chinese label
    assert "（空） → member.update" in html


def test_admin_sees_every_town(history, login):
    assert len(page_rows(login(history.admin).get("/audit/"))) == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"actor": "secretary"}, [("appraisal.create", "张三")]),
        ({"actor": "office"}, [("org.update", "东岭村党支部"), ("member.update", "张三")]),
        ({"action": "org.update"}, [("org.update", "东岭村党支部")]),
        ({"target": "东岭"}, [("org.update", "东岭村党支部")]),
        ({"start": "2025-03-11"}, [("org.update", "东岭村党支部"), ("appraisal.create", "张三")]),
        ({"end": "2025-03-12"}, [("appraisal.create", "张三"), ("member.update", "张三")]),  # 23:30 local time is still the 12th
        ({"start": "2025-03-10", "end": "2025-03-10"}, [("member.update", "张三")]),
        ({"start": "2025-04-01", "end": "2025-04-01"}, [("org.update", "东岭村党支部")]),  # 00:15 local time is already April
        ({"start": "2025-05-01"}, []),
    ],
)
def test_audit_filters(history, login, query, expected):
    response = login(history.office).get("/audit/", query)
    assert response.status_code == 200
    assert page_rows(response) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2025-04-01", "end": "2025-03-01"}, "截止日期不能早于起始日期"),
        ({"start": "abc"}, "有效的日期"),
        ({"end": "2025-02-30"}, "有效的日期"),
        ({"action": "drop.table"}, "选择一个有效的选项"),
    ],
)
def test_bad_filters_get_a_chinese_message_not_a_500(history, login, query, message):
    response = login(history.office).get("/audit/", query)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1.5", ""])
def test_odd_page_numbers_show_a_page(history, login, page):
    assert login(history.office).get("/audit/", {"page": page}).status_code == 200


@pytest.mark.parametrize("role", ["approver", "secretary", "inspector", "county_user"])
def test_other_roles_cannot_browse_the_log(history, login, role):
    response = login(getattr(history, role)).get("/audit/")
    assert response.status_code == 403
    assert "张三" not in response.content.decode()


def test_a_town_office_turned_secretary_loses_the_log(history, login):
    User.objects.filter(pk=history.office.pk).update(role=Role.BRANCH_SECRETARY, organization=history.village)
    history.office.refresh_from_db()
    assert login(history.office).get("/audit/").status_code == 403
