"""API: POST campaigns (409 for a second one in a year), GET campaigns, campaigns/{id}, campaigns/{id}/quotas."""

from __future__ import annotations

from decimal import Decimal

from apps.audit.models import AuditLog
from apps.campaigns.models import Campaign, Target
from apps.core import clock

from . import factories as f
from .api_helpers import bad_json, refused, unchanged

NEXT = clock.today().year + 1


def body(w, **overrides):
    return {
        "town_id": w.town.pk,
        "year": NEXT,
        "post_quota_percent": "12.5",
        "village_quota_percent": 20,
        "rounding": "at_least_one",
        "admit_probationary": True,
        "deadline": f"{NEXT}-10-31",
        "notice_days": 7,
        "notice_day_kind": "natural",
        "appraisal_year": NEXT - 1,
        "quorum_percent": "66.67",
    } | overrides


def test_town_office_opens_next_years_campaign(world, api):
    r = api(world.office).post("campaigns", body(world))
    assert r.status_code == 201, r.content
    out = r.json()
    campaign = Campaign.objects.get(pk=out["id"])
    assert campaign.post_quota_percent == Decimal("12.5") and campaign.quorum_percent == Decimal("66.67")
    assert out["post_quota_percent"] == "12.5" and out["village_quota_percent"] == "20" and out["quorum_percent"] == "66.67"
    assert {k: out[k] for k in ("town_id", "year", "rounding", "admit_probationary", "deadline", "notice_days", "notice_day_kind")} == {
        "town_id": world.town.pk,
        "year": NEXT,
        "rounding": "at_least_one",
        "admit_probationary": True,
        "deadline": f"{NEXT}-10-31",
        "notice_days": 7,
        "notice_day_kind": "natural",
    }
    assert out["appraisal_year"] == NEXT - 1 and out["status"] == "active"
    assert out["county_name"] == "测试县"  # from the town's county when not given
    assert campaign.criteria.filter(target=Target.POST).count() == 5 and campaign.criteria.filter(target=Target.VILLAGE).count() == 5
    log = AuditLog.objects.get(action="campaign.create", target_id=str(campaign.pk))
    assert log.actor == world.office and log.town == world.town


def test_a_second_campaign_in_the_same_year_is_409(world, api):
    c = api(world.office)
    year = world.campaign.year
    with unchanged():
        refused(
            c.post("campaigns", body(world, year=year, deadline=f"{year}-11-30", appraisal_year=year - 1)),
            409,
            f"{year}年度的示范行动已存在",
        )


def test_campaign_rules_refuse_with_422_and_change_nothing(world, api):
    c = api(world.office)
    with unchanged():
        refused(c.post("campaigns", body(world, post_quota_percent="0")), 422, "示范岗比例")
        refused(c.post("campaigns", body(world, village_quota_percent="150")), 422, "示范村比例")
        refused(c.post("campaigns", body(world, post_quota_percent="12.345")), 422, "示范岗比例")
        refused(c.post("campaigns", body(world, appraisal_year=NEXT + 1)), 422, "民主评议年度不能晚于")
        refused(c.post("campaigns", body(world, deadline=f"{NEXT + 3}-01-01")), 422, "申报截止日期")
        refused(c.post("campaigns", body(world, notice_days=0)), 422, "公示天数")
        refused(c.post("campaigns", body(world, year=3000)), 422, "年度")
        refused(c.post("campaigns", body(world, town_id=world.village.pk)), 422, "不是镇党委")


def test_campaign_wrong_types_are_400_and_scope_404(world, api):
    c, secretary, county = api(world.office), api(world.secretary), api(world.county_user)
    with unchanged():
        refused(c.post("campaigns", body(world, post_quota_percent="十")), 400, "post_quota_percent")
        refused(c.post("campaigns", body(world, post_quota_percent="NaN")), 400, "post_quota_percent")
        refused(c.post("campaigns", body(world, rounding="ceil")), 400, "rounding")
        refused(c.post("campaigns", body(world, deadline="10月31日")), 400, "deadline")
        refused(c.post("campaigns", body(world, year="明年")), 400, "year")
        refused(bad_json(c, "post", "campaigns"), 400, "JSON")
        refused(c.post("campaigns", body(world, town_id=world.other_town.pk)), 404)
        refused(secretary.post("campaigns", body(world)), 404)
        refused(county.post("campaigns", body(world)), 403)


def test_get_campaigns_and_one_campaign(world, api):
    c = api(world.secretary)
    rows = c.get("campaigns").json()
    assert [row["id"] for row in rows] == [world.campaign.pk]
    one = c.get(f"campaigns/{world.campaign.pk}").json()
    assert one == rows[0]
    assert one["post_quota_percent"] == "10" and one["quorum_percent"] == "50" and one["town_id"] == world.town.pk
    assert {row["id"] for row in api(world.county_user).get("campaigns").json()} == {world.campaign.pk, world.other_campaign.pk}
    assert api(world.county_user).get("campaigns", year=world.campaign.year - 1).json() == []
    refused(c.get(f"campaigns/{world.other_campaign.pk}"), 404)
    refused(c.get("campaigns/abc"), 400)


def test_quotas_are_live_with_the_arithmetic(world, api):
    for _ in range(36):
        f.member(world.village)
    r = api(world.office).get(f"campaigns/{world.campaign.pk}/quotas")
    assert r.status_code == 200
    out = r.json()
    posts = {row["org_id"]: row for row in out["posts"]}
    assert set(posts) == {world.village.pk, world.village2.pk, world.organ.pk}
    assert posts[world.village.pk] == {
        "org_id": world.village.pk,
        "org_name": "东岭村党支部",
        "formal_members": 37,
        "value": 3,
        "explain": "正式党员 37 人 × 10% = 3.7，不超过 → 3 人",
    }
    assert posts[world.village2.pk]["value"] == 0
    # Two village organizations × 20% = 0.4 → 0.
    assert out["villages"] == {"village_orgs": 2, "value": 0, "explain": "村党组织 2 个 × 20% = 0.4，不超过 → 0 个"}
    # A roster change moves the live quota.
    f.member(world.village)
    f.member(world.village)
    f.member(world.village)
    again = {row["org_id"]: row for row in api(world.office).get(f"campaigns/{world.campaign.pk}/quotas").json()["posts"]}
    assert again[world.village.pk]["formal_members"] == 40 and again[world.village.pk]["value"] == 4
    # A secretary sees its own branch's row only.
    mine = api(world.secretary).get(f"campaigns/{world.campaign.pk}/quotas").json()
    assert [row["org_id"] for row in mine["posts"]] == [world.village.pk]


def test_a_concurrent_duplicate_that_slips_past_the_check_is_still_a_409(world, api):
    """Two requests for the same town and year at once: the second insert hits the unique constraint after its
    own check saw nothing; it must answer 409, not 500, and leave nothing behind."""
    from unittest import mock

    from django.db.models import QuerySet

    c = api(world.office)
    year = world.campaign.year
    real_exists = QuerySet.exists

    def exists(qs):
        # The duplicate check (a campaign of this town and year) misses, as it would in a race.
        if qs.model is Campaign and '"year" =' in str(qs.query).partition("WHERE")[2]:
            return False
        return real_exists(qs)

    with unchanged(), mock.patch.object(QuerySet, "exists", exists):
        refused(c.post("campaigns", body(world, year=year, deadline=f"{year}-11-30", appraisal_year=year - 1)), 409, "已存在")
