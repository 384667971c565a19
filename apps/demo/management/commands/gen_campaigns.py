"""This year's campaign in every town of a `gen_county` data set, with branches at every step of the procedure.

See apps/demo/county_workflow for what is made. Every state change goes through the house action functions
(so the audit trail and the frozen snapshots are there); deterministic with a seed.
"""

from __future__ import annotations

import random
import secrets
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts.models import Role, User
from apps.campaigns.actions import create_campaign
from apps.campaigns.models import Campaign
from apps.core import clock
from apps.demo.county_workflow import PHASES, Tally, TownBuilder, campaign_data, make_actors, town_branches
from apps.orgs.choices import OrgLevel
from apps.orgs.models import Organization


class Command(BaseCommand):
    help = "在 gen_county 生成的县级数据上，为每个镇创建本年度示范行动，并让各支部处于示范岗流程的各个环节（含示范村、督促检查）。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=20260802, help="随机种子，相同种子生成相同数据")
        parser.add_argument("--county", default="", help="县委名称（默认：唯一的县）")
        parser.add_argument("--password", default="", help="新建账号的密码（默认随机生成并打印）")

    def handle(self, *args, seed, county, password, **options):
        counties = Organization.objects.filter(parent=None, level=OrgLevel.COUNTY)
        if county:
            counties = counties.filter(name__contains=county)
        if counties.count() != 1:
            raise CommandError("请用 --county 指定一个县（需先运行 gen_county）。")
        county_org = counties.get()
        towns = list(Organization.objects.filter(parent=county_org, level=OrgLevel.TOWN, is_active=True).order_by("path"))
        if Campaign.objects.filter(town__in=towns).exists():
            raise CommandError("这些镇已有示范行动；gen_campaigns 只在没有示范行动的县上运行一次。")
        password = password or secrets.token_urlsafe(12)
        started = time.monotonic()
        with transaction.atomic():
            tally, users = self.generate(county_org, towns, seed, make_password(password))
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"已为 {len(towns)} 个镇生成本年度示范行动及流程数据（用时 {elapsed:.1f} 秒）。"))
        self.stdout.write("支部所处环节：" + "，".join(f"{k} {v}" for k, v in sorted(tally.branches.items())))
        self.stdout.write("示范村候选：" + "，".join(f"{k} {v}" for k, v in sorted(tally.villages.items())))
        self.stdout.write(f"督促检查：{tally.visits} 次")
        self.stdout.write("账号（第一个镇；其余镇为 gcNNN_office / gcNNN_approver / gcNNN_inspector，同一密码）：")
        for user in users:
            self.stdout.write(f"  用户名 {user.username:<20} 密码 {password}  {user.organization}")

    def generate(self, county: Organization, towns: list[Organization], seed: int, password_hash: str):
        rng = random.Random(seed)
        today = clock.today()
        tally = Tally()
        reviewer = User(
            username="gc_county", role=Role.COUNTY_REVIEWER, organization=county, display_name="县委组织部", password=password_hash
        )
        reviewer.save()
        admin = User(username="gc_admin", role=Role.ADMIN, display_name="系统管理员", password=password_hash)
        admin.save()
        first = None
        for index, town in enumerate(towns):
            actors = make_actors(town, index, password_hash)
            first = first or actors
            campaign = create_campaign(actors.office, town, campaign_data(today, town))
            TownBuilder(campaign, actors, reviewer, today, rng, tally).build(town_branches(town), PHASES[index % len(PHASES)])
        users = [reviewer, first.office, first.approver, first.inspector] if first else [reviewer]
        return tally, users
