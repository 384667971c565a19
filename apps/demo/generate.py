"""Invented organizations and members for the demo town and the county-scale benchmark.

Every name, ID number and phone number here is generated: ID numbers use region code 369901, which
no real place has, and phone numbers use the 199 0000 xxxx range. Seeded, so runs are repeatable.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from apps.core.idcard import make_id
from apps.orgs.choices import Category, Education, Grade, MemberStatus, OrgKind, OrgLevel
from apps.orgs.models import Appraisal, Member, Organization

FAKE_REGION = "369901"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉萍文辉力燕鹏飞春梅海波宁林斌雪琴晨浩宇欣然子涵思远嘉怡俊杰晓东德福长青永康"
)
ETHNICITIES = ["汉族"] * 46 + ["畲族", "回族", "苗族", "壮族"]
POSTS_BY_KIND = {
    OrgKind.VILLAGE: [
        "村党支部书记",
        "村委会主任",
        "村会计",
        "种植户",
        "养殖户",
        "返乡创业青年",
        "村医",
        "网格员",
        "合作社负责人",
        "退休教师",
        "农民",
    ],
    OrgKind.COMMUNITY: ["社区书记", "社区网格员", "个体经营户", "志愿者", "退休职工", "物业管理员"],
    OrgKind.ORGAN: ["科员", "副科长", "办公室主任", "财政所会计", "便民服务中心窗口人员", "司机"],
    OrgKind.ENTERPRISE: ["车间主任", "技术员", "质检员", "销售经理", "班组长"],
    OrgKind.SCHOOL: ["语文教师", "数学教师", "班主任", "教导主任", "校医"],
    OrgKind.OTHER: ["工作人员"],
}
VILLAGE_NAMES = [
    "青山",
    "石桥",
    "杨柳",
    "枫林",
    "龙潭",
    "白沙",
    "金竹",
    "桃源",
    "新塘",
    "荷塘",
    "高坪",
    "双溪",
    "梅岭",
    "竹园",
    "上坊",
    "下湾",
    "松岗",
    "泉水",
    "岭背",
    "东坑",
    "西岸",
    "南湖",
    "北岭",
    "黄泥",
    "红星",
    "和平",
    "团结",
    "长岭",
    "花园",
    "丰收",
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))


def town_layout(n_branches: int, rng: random.Random) -> list[tuple[str, str]]:
    """(name, kind) of a town's branches: about 60% villages, the rest 社区/机关/企业/学校."""
    n_villages = max(1, round(n_branches * 0.64))
    layout = [
        (f"{VILLAGE_NAMES[i % len(VILLAGE_NAMES)]}{'' if i < len(VILLAGE_NAMES) else i // len(VILLAGE_NAMES) + 1}村党支部", OrgKind.VILLAGE)
        for i in range(n_villages)
    ]
    others = [
        ("镇机关第一党支部", OrgKind.ORGAN),
        ("镇机关第二党支部", OrgKind.ORGAN),
        ("镇便民服务中心党支部", OrgKind.ORGAN),
        ("城东社区党支部", OrgKind.COMMUNITY),
        ("城西社区党支部", OrgKind.COMMUNITY),
        ("新街社区党支部", OrgKind.COMMUNITY),
        ("镇中心学校党支部", OrgKind.SCHOOL),
        ("青禾农业有限公司党支部", OrgKind.ENTERPRISE),
        ("山泉食品厂党支部", OrgKind.ENTERPRISE),
    ]
    i = 0
    while len(layout) < n_branches:
        name, kind = others[i % len(others)]
        if i >= len(others):
            name = name.replace("党支部", f"{i // len(others) + 1}党支部")
        layout.append((name, kind))
        i += 1
    return layout[:n_branches]


def create_county(name: str) -> Organization:
    county, _ = Organization.objects.get_or_create(
        parent=None, name=f"中共{name}委员会", defaults={"short_name": f"{name}委", "level": OrgLevel.COUNTY, "kind": OrgKind.ORGAN}
    )
    return county


def create_town(county: Organization, name: str, n_branches: int, rng: random.Random) -> tuple[Organization, list[Organization]]:
    town = Organization.objects.create(
        parent=county, name=f"中共{name}委员会", short_name=f"{name}党委", level=OrgLevel.TOWN, kind=OrgKind.ORGAN
    )
    branches = []
    for order, (bname, kind) in enumerate(town_layout(n_branches, rng), start=1):
        level = OrgLevel.PARTY_COMMITTEE if kind == OrgKind.VILLAGE and order == 1 else OrgLevel.BRANCH
        if level == OrgLevel.PARTY_COMMITTEE:
            bname = bname.replace("党支部", "党委")
        branches.append(
            Organization.objects.create(parent=town, name=bname, level=level, kind=kind, sort_order=order, secretary_name=_name(rng))
        )
    return town, branches


def generate_members(
    branches: list[Organization], total: int, rng: random.Random, *, today: dt.date, seq_start: int = 0, used: set[str] | None = None
) -> Iterator[Member]:
    """Spread `total` members over the branches (villages larger), with a realistic mix."""
    weights = [3.0 if b.kind == OrgKind.VILLAGE else 1.6 for b in branches]
    seq = seq_start
    used = used if used is not None else set()
    for _ in range(total):
        branch = rng.choices(branches, weights)[0]
        id_number = ""
        while not id_number or id_number in used:
            birth = _date(rng, dt.date(1940, 1, 1), dt.date(2002, 12, 31))
            seq += 1
            id_number = make_id(FAKE_REGION, birth, seq % 1000)
        used.add(id_number)
        gender = "男" if int(id_number[16]) % 2 else "女"
        probationary = rng.random() < 0.08
        joined = (
            _date(rng, today - dt.timedelta(days=330), today - dt.timedelta(days=30))
            if probationary
            else _date(rng, max(birth + dt.timedelta(days=18 * 366), dt.date(1960, 1, 1)), today - dt.timedelta(days=400))
        )
        status = MemberStatus.ACTIVE
        roll = rng.random()
        if roll < 0.006:
            status = MemberStatus.TRANSFERRED
        elif roll < 0.008:
            status = MemberStatus.DECEASED
        member = Member(
            name=_name(rng),
            gender=gender,
            ethnicity=rng.choice(ETHNICITIES),
            birth_date=birth,
            id_number=id_number,
            phone=f"1990000{seq % 10000:04d}",
            education=rng.choice(Education.values),
            branch=branch,
            category=Category.PROBATIONARY if probationary else Category.FORMAL,
            joined_on=joined,
            confirmed_on=None if probationary else joined + dt.timedelta(days=365),
            post=rng.choice(POSTS_BY_KIND.get(branch.kind, POSTS_BY_KIND[OrgKind.OTHER])),
            status=status,
            status_changed_on=today - dt.timedelta(days=rng.randrange(30, 200)) if status != MemberStatus.ACTIVE else None,
        )
        if status == MemberStatus.ACTIVE and rng.random() < 0.006:
            member.sanction_start = today - dt.timedelta(days=rng.randrange(30, 300))
            member.sanction_end = member.sanction_start + dt.timedelta(days=365)
            member.sanction_note = "党内警告处分"
        yield member


def grade_for(rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.02:
        return None  # appraisal not recorded yet
    if roll < 0.30:
        return Grade.EXCELLENT
    if roll < 0.93:
        return Grade.QUALIFIED
    if roll < 0.985:
        return Grade.BASIC
    return Grade.UNQUALIFIED


def bulk_members(
    branches: list[Organization],
    total: int,
    rng: random.Random,
    *,
    today: dt.date,
    appraisal_year: int,
    seq_start: int = 0,
    batch: int = 2000,
    used: set[str] | None = None,
) -> int:
    created = 0
    pending: list[Member] = []
    for member in generate_members(branches, total, rng, today=today, seq_start=seq_start, used=used):
        pending.append(member)
        if len(pending) >= batch:
            created += _flush(pending, rng, appraisal_year)
            pending = []
    if pending:
        created += _flush(pending, rng, appraisal_year)
    return created


def _flush(members: list[Member], rng: random.Random, appraisal_year: int) -> int:
    Member.objects.bulk_create(members)  # sets pk on SQLite ≥ 3.35 and PostgreSQL
    appraisals = []
    for member in members:
        if member.joined_on and member.joined_on.year > appraisal_year:
            continue
        grade = grade_for(rng)
        if grade:
            appraisals.append(Appraisal(member_id=member.pk, year=appraisal_year, grade=grade))
    Appraisal.objects.bulk_create(appraisals, ignore_conflicts=True)
    return len(members)
