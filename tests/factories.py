"""Builders for test data. Everything is invented; ID numbers use the fictitious region code 369901."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from apps.accounts.models import Role, User
from apps.campaigns.actions import create_campaign
from apps.core import clock
from apps.core.idcard import make_id
from apps.orgs.choices import Category, MemberStatus, OrgKind, OrgLevel
from apps.orgs.models import Member, Organization

PASSWORD = "Test-pass-2026"
_seq = itertools.count(1)


def org(name: str, parent: Organization | None, level=OrgLevel.BRANCH, kind=OrgKind.VILLAGE) -> Organization:
    return Organization.objects.create(name=name, parent=parent, level=level, kind=kind)


def member(
    branch: Organization,
    name: str | None = None,
    *,
    category=Category.FORMAL,
    status=MemberStatus.ACTIVE,
    birth: dt.date = dt.date(1980, 5, 17),
    **extra,
) -> Member:
    n = next(_seq)
    id_number = make_id("369901", birth + dt.timedelta(days=n // 900), n % 900 + 1)
    gender = "男" if int(id_number[16]) % 2 else "女"
    data = {
        "name": name or f"党员{n}",
        "gender": gender,
        "birth_date": birth + dt.timedelta(days=n // 900),
        "id_number": id_number,
        "phone": f"199{n % 10**8:08d}",  # always 11 digits, however many members a session makes
        "branch": branch,
        "category": category,
        "status": status,
        "joined_on": dt.date(2005, 7, 1),
        "confirmed_on": None if category == Category.PROBATIONARY else dt.date(2006, 7, 1),
    }
    data.update(extra)
    return Member.objects.create(**data)


def user(username: str, role: str, organization: Organization | None) -> User:
    u = User(
        username=username,
        role=role,
        organization=organization,
        display_name=username,
        is_superuser=role == Role.ADMIN,
        is_staff=role == Role.ADMIN,
    )
    u.set_password(PASSWORD)
    u.save()
    return u


def campaign(actor: User, town: Organization, **overrides):
    data = {
        "year": clock.today().year,
        "title": "共产党员示范行动",
        "county_name": "测试县",
        "post_quota_percent": Decimal("10"),
        "village_quota_percent": Decimal("20"),
        "rounding": "floor",
        "admit_probationary": False,
        "deadline": dt.date(clock.today().year, 12, 15),
        "notice_days": 5,
        "notice_day_kind": "working",
        "appraisal_year": clock.today().year - 1,
        "quorum_percent": Decimal("50"),
        "office_name": "镇党建办",
        "office_contact": "测试联系人",
        "office_phone": "0000-0000000",
    }
    data.update(overrides)
    return create_campaign(actor, town, data)
