"""API: campaigns and their quotas (API.md "Campaign, quotas, calendar"), over apps/campaigns/actions.py."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from apps.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, decimal_text, text
from apps.core.fetch import fetch
from apps.orgs.models import Organization

from . import actions
from .live_quotas import branch_quotas, village_count
from .models import Campaign, CampaignStatus, DayKind, Rounding

router = Router(tags=["示范行动与名额"])

Percent = Decimal  # exact; the range is the model's rule (422)


class CampaignIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "town_id": 2,
                    "year": 2027,
                    "post_quota_percent": "10",
                    "village_quota_percent": "20",
                    "rounding": "floor",
                    "admit_probationary": False,
                    "deadline": "2027-10-31",
                    "notice_days": 5,
                    "notice_day_kind": "working",
                    "appraisal_year": 2026,
                    "quorum_percent": "50",
                }
            ]
        }
    )

    town_id: Id
    year: int
    post_quota_percent: Percent = Field(description='示范岗比例（%），如 "10" 或 "12.5"')
    village_quota_percent: Percent = Field(description="示范村比例（%）")
    rounding: Rounding = Field(description="floor 不超过（向下取整）/ at_least_one 每支部至少 1 名")
    admit_probationary: bool = False
    deadline: dt.date = Field(description="申报截止日期")
    notice_days: int = 5
    notice_day_kind: DayKind = DayKind.WORKING
    appraisal_year: int = Field(description="参考民主评议年度")
    quorum_percent: Percent = Field(Decimal(50), description="党员大会有效到会比例（%），到会须超过应到人数的该比例")
    title: text(100, min_length=1) = "共产党员示范行动"
    county_name: text(40) = Field("", description="县（区）名称；不填取镇党委的上级党组织名称")
    office_name: text(60, min_length=1) = "镇党建办"
    office_contact: text(40) = ""
    office_phone: text(30) = ""


class CampaignOut(Schema):
    id: int
    town_id: int
    year: int
    title: str
    county_name: str
    status: CampaignStatus
    post_quota_percent: str
    village_quota_percent: str
    rounding: Rounding
    admit_probationary: bool
    deadline: dt.date
    notice_days: int
    notice_day_kind: DayKind
    appraisal_year: int
    quorum_percent: str
    office_name: str
    office_contact: str
    office_phone: str


def campaign_out(c: Campaign) -> dict:
    return {
        **{
            f: getattr(c, f)
            for f in (
                "id",
                "town_id",
                "year",
                "title",
                "county_name",
                "status",
                "rounding",
                "admit_probationary",
                "deadline",
                "notice_days",
                "notice_day_kind",
                "appraisal_year",
                "office_name",
                "office_contact",
                "office_phone",
            )
        },
        "post_quota_percent": decimal_text(c.post_quota_percent),
        "village_quota_percent": decimal_text(c.village_quota_percent),
        "quorum_percent": decimal_text(c.quorum_percent),
    }


def county_name_of(town: Organization) -> str:
    """ "中共测试县委员会" → "测试县": the default 县（区）名称 of a new campaign."""
    parent = town.parent
    if parent is None:
        return ""
    name = parent.short_name or parent.name
    return re.sub(r"^中共|委员会$", "", name) or name


@router.post("campaigns", response={201: CampaignOut, **WRITE_ERRORS}, summary="创建示范行动（一镇一年一个）")
def create_campaign(request, payload: CampaignIn):
    town = fetch(request.auth, Organization.objects.select_related("parent"), pk=payload.town_id)
    data = payload.dict(exclude={"town_id"})
    data["county_name"] = data["county_name"] or county_name_of(town)
    campaign = actions.create_campaign(request.auth, town, data)
    return Status(201, campaign_out(campaign))


@router.get("campaigns", response={200: list[CampaignOut], **READ_ERRORS}, summary="可见的示范行动")
def list_campaigns(request, year: int | None = Query(None, ge=1, le=9999)):
    campaigns = Campaign.objects.visible_to(request.auth).order_by("-year", "town__path")
    if year is not None:
        campaigns = campaigns.filter(year=year)
    return [campaign_out(c) for c in campaigns]


@router.get("campaigns/{id}", response={200: CampaignOut, **READ_ERRORS}, summary="一个示范行动")
def get_campaign(request, id: Id):
    return campaign_out(fetch(request.auth, Campaign.objects, pk=id))


class PostQuotaOut(Schema):
    org_id: int
    org_name: str
    formal_members: int = Field(description="在册正式党员（实时；党员大会召开时的快照见会议）")
    value: int = Field(description="示范岗名额")
    explain: str = Field(description="算式，如“正式党员 37 人 × 10% = 3.7，不超过 → 3 人”")


class VillageQuotaOut(Schema):
    village_orgs: int
    value: int
    explain: str


class QuotasOut(Schema):
    posts: list[PostQuotaOut]
    villages: VillageQuotaOut


@router.get("campaigns/{id}/quotas", response={200: QuotasOut, **READ_ERRORS}, summary="示范岗、示范村名额（实时）")
def get_quotas(request, id: Id):
    campaign = fetch(request.auth, Campaign.objects.select_related("town"), pk=id)
    rows = branch_quotas(campaign, Organization.objects.visible_to(request.auth))
    villages = campaign.village_quota(village_count(campaign))
    return {
        "posts": [
            {
                "org_id": r.org.pk,
                "org_name": r.org.name,
                "formal_members": r.quota.base,
                "value": r.quota.value,
                "explain": r.quota.explain(),
            }
            for r in rows
        ],
        "villages": {"village_orgs": villages.base, "value": villages.value, "explain": villages.explain()},
    }
