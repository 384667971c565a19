"""Load the invented demo town (青山镇 of 云岭县) with its members, appraisals and this year's campaign, and its
neighbour 白云镇, whose 参评名单 is on public notice."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts.models import User
from apps.campaigns.actions import create_campaign
from apps.core import clock
from apps.demo.accounts import DEMO_ACCOUNTS
from apps.demo.generate import bulk_members, create_county, create_town
from apps.demo.workflow import load_progress, notice_progress
from apps.orgs.models import Organization


class Command(BaseCommand):
    help = "载入虚构的演示数据（青山镇）。已有数据时不重复载入。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有党组织时什么也不做（make run 使用）")
        parser.add_argument("--members", type=int, default=800)
        parser.add_argument("--seed", type=int, default=20260701)

    def handle(self, *args, if_empty=False, members=800, seed=20260701, **options):
        if not settings.DEMO_MODE:
            raise CommandError("演示数据只能在演示模式下载入（设置环境变量 DEMO_MODE=1）。")
        if Organization.objects.exists():
            if if_empty:
                self.stdout.write("数据库已有数据，跳过演示数据载入。")
                self.print_accounts()
                return
            raise CommandError("数据库已有数据；演示数据只载入到空数据库。")
        with transaction.atomic():
            self.load(members, seed)
        self.stdout.write(self.style.SUCCESS("演示数据已载入：云岭县青山镇（虚构）。"))
        self.print_accounts()

    def load(self, n_members: int, seed: int) -> None:
        rng = random.Random(seed)
        today = clock.today()
        year = today.year
        county = create_county("云岭县")
        town, branches = create_town(county, "青山镇", 25, rng)
        other_town, other_branches = create_town(county, "白云镇", 8, rng)
        used: set[str] = set()
        bulk_members(branches, n_members, rng, today=today, appraisal_year=year - 1, used=used)
        bulk_members(other_branches, 200, rng, today=today, appraisal_year=year - 1, used=used, seq_start=50_000)
        orgs = {
            "青山镇党委": town,
            "白云镇党委": other_town,
            "云岭县委": county,
            "青山村党委": branches[0],
            "石桥村党支部": branches[1],
            "—": None,
        }
        users = {}
        for account in DEMO_ACCOUNTS:
            user = User(
                username=account.username,
                role=account.role,
                display_name=account.display_name,
                organization=orgs[account.org_label],
                is_staff=account.role == "admin",
                is_superuser=account.role == "admin",
                can_approve=account.can_approve,
            )
            user.set_password(account.password)
            user.save()
            users[account.username] = user
        deadline = max(dt.date(year, 12, 15), today + dt.timedelta(days=21))
        common = {
            "title": "共产党员示范行动",
            "county_name": "云岭县",
            "post_quota_percent": Decimal("10"),
            "village_quota_percent": Decimal("20"),
            "rounding": "floor",
            "admit_probationary": False,
            "deadline": deadline,
            "notice_days": 5,
            "notice_day_kind": "working",
            "appraisal_year": year - 1,
            "quorum_percent": Decimal("50"),
            "office_name": "镇党建办组织室",
            "office_phone": "0795-0000000",
        }
        campaign = create_campaign(users["town_office"], town, {**common, "year": year, "office_contact": "周文静"})
        other_campaign = create_campaign(
            users["town_office2"],
            other_town,
            {**common, "year": year, "office_contact": "刘海燕", "rounding": "at_least_one", "post_quota_percent": Decimal("8")},
        )
        load_progress(campaign, branches, users, today)
        notice_progress(other_campaign, other_branches, users["town_office2"], today)

    def print_accounts(self) -> None:
        if not settings.DEMO_MODE:
            return
        self.stdout.write("演示账号（仅演示模式）：")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.role_label:<8} 用户名 {account.username:<14} 密码 {account.password}  {account.org_label}")
