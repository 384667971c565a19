"""A town's public face at county scale, on top of `gen_county`: several years of honour roll (commended
示范岗 with certificates, 示范村 with plaques), a live 公示 of this year's 参评名单 and published stories.

Used by bench/bench_public.py. Every name comes from gen_county's invented members; deeds are made up from
stock phrases. Bulk inserts in one transaction; prints `PUBLIC {"town": …, "notice": …}` for the benchmark."""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from apps.campaigns.models import Campaign
from apps.meetings.choices import MeetingStatus
from apps.meetings.models import Candidate, Meeting
from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination, Proposal
from apps.notices.models import Notice
from apps.orgs.choices import MemberStatus, OrgKind, OrgLevel
from apps.orgs.models import Member, Organization
from apps.publicity.choices import StoryStatus
from apps.publicity.models import Story
from apps.villages.choices import VillageStatus
from apps.villages.models import VillageCandidate

POSTS = [
    "村党支部书记",
    "村党支部委员",
    "村民小组长",
    "致富带头人",
    "网格员",
    "村医",
    "乡村教师",
    "合作社负责人",
    "退役军人",
    "志愿服务队长",
]
DEEDS = [
    "带领群众发展特色种植，村集体经济年收入增长三成",
    "牵头成立专业合作社，带动周边农户增收",
    "常年义务调解邻里纠纷，化解矛盾数十起",
    "防汛救灾中冲在一线，组织转移受困群众",
    "结对帮扶困难家庭，帮助解决就医和就学难题",
    "推动村庄环境整治，拆除违建、清理沟渠",
    "组织党员志愿服务队，为留守老人送餐上门",
    "扎根基层二十余年，坚持为群众办实事",
    "带头移风易俗，倡导红白事简办",
    "推广新技术新品种，开办田间课堂",
]


def deeds(rng: random.Random, n: int) -> str:
    return "；".join(rng.sample(DEEDS, n)) + "。"


class Command(BaseCommand):
    help = "在 gen_county 生成的数据上，为一个镇生成多年光荣榜、当前公示和典型事迹（虚构），供公众页面基准测试使用。"

    def add_arguments(self, parser):
        parser.add_argument("--town", type=int, default=0, help="镇党委的 id（默认第一个镇）")
        parser.add_argument("--years", type=int, default=5, help="光荣榜年数（默认 5，含今年的公示）")
        parser.add_argument("--per-branch", type=int, default=2, help="每个支部每年的示范岗人数（默认 2）")
        parser.add_argument("--seed", type=int, default=20261130)

    def handle(self, *args, town, years, per_branch, seed, **options):
        towns = Organization.objects.filter(level=OrgLevel.TOWN).order_by("pk")
        town_org = towns.filter(pk=town).first() if town else towns.first()
        if town_org is None:
            raise CommandError("没有镇：请先运行 gen_county。")
        with transaction.atomic():
            out = self.generate(town_org, years, per_branch, random.Random(seed))
        self.stdout.write("PUBLIC " + json.dumps(out))

    def generate(self, town: Organization, n_years: int, per_branch: int, rng: random.Random) -> dict:
        today = timezone.localdate()
        county = town.parent
        branches = list(Organization.objects.filter(parent=town).order_by("sort_order", "pk"))
        members: dict[int, list[Member]] = {}
        for m in Member.objects.filter(branch__in=branches, status=MemberStatus.ACTIVE).order_by("pk"):
            members.setdefault(m.branch_id, []).append(m)
        villages = [b for b in branches if b.kind == OrgKind.VILLAGE]
        notice = None
        counts = {"posts": 0, "villages": 0, "listed": 0}
        for year in range(today.year - n_years + 1, today.year + 1):
            current = year == today.year
            campaign = Campaign.objects.filter(town=town, year=year).first() or Campaign.objects.create(
                town=town,
                year=year,
                county_name=county.name if county else "云岭县",
                deadline=dt.date(year, 4, 30),
                appraisal_year=year - 1,
                post_quota_percent=Decimal(5),
                village_quota_percent=Decimal(20),
            )
            meetings = Meeting.objects.bulk_create(
                [
                    Meeting(
                        campaign=campaign,
                        org=b,
                        status=MeetingStatus.CONCLUDED,
                        date=dt.date(year, 3, 1),
                        place="村党群服务中心",
                        chair="主持人",
                        recorder="记录人",
                    )
                    for b in branches
                    if members.get(b.pk)
                ]
            )
            proposals = Proposal.objects.bulk_create(
                [
                    Proposal(
                        meeting=mt,
                        campaign=campaign,
                        org=mt.org,
                        committee_date=dt.date(year, 3, 5),
                        committee_attendees="支委甲、支委乙、支委丙",
                        opinion="同意推荐。",
                        publicity_start=dt.date(year, 3, 6),
                        publicity_end=dt.date(year, 3, 10),
                    )
                    for mt in meetings
                ]
            )
            picks = [(p, m) for p in proposals for m in rng.sample(members[p.org_id], min(per_branch, len(members[p.org_id])))]
            candidates = Candidate.objects.bulk_create(
                [
                    Candidate(meeting=p.meeting, campaign=campaign, member=m, post=rng.choice(POSTS), deeds=deeds(rng, rng.randint(2, 4)))
                    for p, m in picks
                ]
            )
            status = NominationStatus.LISTED if current else NominationStatus.COMMENDED
            listed_at = timezone.make_aware(dt.datetime(year, 5, 1, 9, 0))
            nominations = Nomination.objects.bulk_create(
                [
                    Nomination(
                        campaign=campaign,
                        org=p.org,
                        proposal=p,
                        candidate=c,
                        member=m,
                        status=status,
                        listed_at=listed_at,
                        certificate_no="" if current else f"{town.short_name or town.name}-{year}-{i:03d}",
                    )
                    for i, ((p, m), c) in enumerate(zip(picks, candidates, strict=True), start=1)
                ]
            )
            if current:
                notice = Notice.objects.create(
                    campaign=campaign,
                    public_id=secrets.token_urlsafe(16),
                    title=f"关于{year}年度“共产党员示范岗”拟表彰对象的公示",
                    start=today,
                    end=today + dt.timedelta(days=7),
                    days=5,
                    day_kind="working",
                )
                notice.nominations.set(nominations)
                counts["listed"] = len(nominations)
            else:
                counts["posts"] += len(nominations)
                plaqued = rng.sample(villages, min(3, len(villages)))
                VillageCandidate.objects.bulk_create(
                    [
                        VillageCandidate(
                            campaign=campaign,
                            org=v,
                            status=VillageStatus.APPROVED,
                            decision_date=dt.date(year, 11, 1),
                            plaque_no=f"SFC-{year}-{i}",
                            plaque_date=dt.date(year, 11, 20),
                        )
                        for i, v in enumerate(plaqued, start=1)
                    ]
                )
                counts["villages"] += len(plaqued)
                for n in nominations[:2]:
                    Story.objects.create(
                        town=town,
                        title=f"{n.member.name}：扎根基层的带头人",
                        body="".join(f"<p>{deeds(rng, 3)}</p>" for _ in range(4)),
                        summary=deeds(rng, 1),
                        nomination=n,
                        status=StoryStatus.PUBLISHED,
                        published_at=timezone.now(),
                    )
        return {"town": town.pk, "notice": notice.public_id if notice else "", **counts}
