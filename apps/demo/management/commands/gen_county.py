"""Generate a county-scale invented data set: one county, its towns, branches, members and appraisals.

Used by the benchmarks and for trying the system at realistic size. Every name, ID number and phone
number is invented (see apps.demo.generate). Runs in one transaction with bulk inserts.
"""

from __future__ import annotations

import random
import secrets
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts.models import Role, User
from apps.core import clock
from apps.demo.generate import bulk_members, create_county, create_town
from apps.orgs.choices import MemberStatus
from apps.orgs.models import Member, Organization

# Invented town names (no real place is meant); more towns than names get a numeric suffix.
TOWN_STEMS = [
    "青山",
    "白云",
    "龙泉",
    "石门",
    "桃溪",
    "松林",
    "梅湾",
    "枫桥",
    "金沙",
    "银坑",
    "竹坪",
    "荷花",
    "凤岭",
    "鹤鸣",
    "清水",
    "高桥",
    "新丰",
    "长乐",
    "永安",
    "太平",
    "东江",
    "西坪",
    "南岗",
    "北山",
    "黄竹",
    "红岩",
    "双龙",
    "三溪",
    "五里",
    "九峰",
    "上洋",
    "下坊",
    "杏林",
    "柳塘",
    "兰田",
    "苍岭",
    "云台",
    "月湖",
    "星火",
    "丰源",
]


def town_names(n: int) -> list[str]:
    names = []
    for i in range(n):
        stem = TOWN_STEMS[i % len(TOWN_STEMS)]
        round_ = i // len(TOWN_STEMS)
        names.append(f"{stem}{round_ + 1 if round_ else ''}镇")
    return names


def split_evenly(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


class Command(BaseCommand):
    help = "生成县级规模的虚构数据（1 个县、约 40 个镇、800 个支部、约 3.2 万名党员及评议结果），并创建三个测试账号。"

    def add_arguments(self, parser):
        parser.add_argument("--towns", type=int, default=40, help="镇的数量（默认 40）")
        parser.add_argument("--branches", type=int, default=800, help="支部（基层党组织）总数（默认 800）")
        parser.add_argument("--members", type=int, default=32_000, help="党员总数（默认 32000）")
        parser.add_argument("--seed", type=int, default=20260801, help="随机种子，相同种子生成相同数据")
        parser.add_argument("--county", default="云岭县", help="虚构县名（默认 云岭县）")
        parser.add_argument("--password", default="", help="三个账号的密码（默认随机生成并打印）")
        parser.add_argument("--force", action="store_true", help="数据库中已有党组织时仍然生成（追加一个新的县）")

    def handle(self, *args, towns, branches, members, seed, county, password, force, **options):
        if towns < 1 or branches < towns or members < 0:
            raise CommandError("参数不合理：需要 towns ≥ 1、branches ≥ towns、members ≥ 0。")
        if Organization.objects.exists() and not force:
            raise CommandError("数据库中已有党组织；如确需在其上追加虚构数据，请加 --force。")
        password = password or secrets.token_urlsafe(12)
        started = time.monotonic()
        with transaction.atomic():
            accounts = self.generate(towns, branches, members, seed, county, password)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"已生成虚构数据：1 个县、{towns} 个镇、{branches} 个支部、{members} 名党员（用时 {elapsed:.1f} 秒）。")
        )
        self.stdout.write("账号：")
        for label, user in accounts:
            self.stdout.write(f"  {label:<6} 用户名 {user.username:<20} 密码 {password}  {user.organization}")

    def generate(self, n_towns: int, n_branches: int, n_members: int, seed: int, county_name: str, password: str):
        rng = random.Random(seed)
        today = clock.today()
        appraisal_year = today.year - 1
        county_name = self.free_county_name(county_name)
        county = create_county(county_name)
        # Active members' ID numbers are unique; with --force, avoid the ones already in the database.
        used = set(Member.objects.filter(status=MemberStatus.ACTIVE).values_list("id_number", flat=True))
        seq = 0
        first_town = first_branch = None
        for name, town_branches, town_members in zip(
            town_names(n_towns), split_evenly(n_branches, n_towns), split_evenly(n_members, n_towns), strict=True
        ):
            town, branch_list = create_town(county, name, town_branches, rng)
            first_town = first_town or town
            first_branch = first_branch or branch_list[0]
            bulk_members(branch_list, town_members, rng, today=today, appraisal_year=appraisal_year, seq_start=seq, used=used)
            seq += town_members * 2  # make_id retries advance seq; a gap keeps towns' ranges apart
        return [
            ("县委组织部", self.make_user("county_reviewer", Role.COUNTY_REVIEWER, county, password)),
            ("镇党建办", self.make_user("town_office", Role.TOWN_OFFICE, first_town, password)),
            ("支部书记", self.make_user("branch_secretary", Role.BRANCH_SECRETARY, first_branch, password)),
        ]

    @staticmethod
    def free_county_name(name: str) -> str:
        candidate, n = name, 1
        while Organization.objects.filter(parent=None, name=f"中共{candidate}委员会").exists():
            n += 1
            candidate = f"{name}{n}"
        return candidate

    @staticmethod
    def make_user(base: str, role: str, org: Organization, password: str) -> User:
        username, n = f"gen_{base}", 1
        while User.objects.filter(username=username).exists():
            n += 1
            username = f"gen_{base}{n}"
        user = User(username=username, role=role, organization=org, display_name=f"{org.short_name or org.name}测试账号")
        user.set_password(password)
        user.save()
        return user
