"""API rows: campaigns and quotas."""

from apps.core import clock

from ..matrix import Op, api_expect

THIS_TOWN = api_expect(200, other_office=404)
OTHER_TOWN = api_expect(404, admin=200, county_user=200, other_office=200)


def next_year(w):
    year = clock.today().year + 1
    return {
        "town_id": w.town.pk,
        "year": year,
        "post_quota_percent": "10",
        "village_quota_percent": "20",
        "rounding": "floor",
        "admit_probationary": False,
        "deadline": f"{year}-10-31",
        "notice_days": 5,
        "notice_day_kind": "working",
        "appraisal_year": year - 1,
        "quorum_percent": "50",
    }


def pk(attr):
    return lambda w: {"id": getattr(w, attr).pk}


OPS = [
    Op(
        "post",
        "/api/v1/campaigns",
        api_expect(404, admin=201, office=201, approver=403, county_user=403),
        body=next_year,
        label="[this town, next year]",
    ),
    Op(
        "post",
        "/api/v1/campaigns",
        api_expect(404, admin=409, office=409, approver=403, county_user=403),
        body=lambda w: (
            next_year(w) | {"year": w.campaign.year, "deadline": f"{w.campaign.year}-10-31", "appraisal_year": w.campaign.year - 1}
        ),
        label="[this town, a year it already has]",
    ),
    Op("get", "/api/v1/campaigns", api_expect(200)),
    Op("get", "/api/v1/campaigns/{id}", THIS_TOWN, params=pk("campaign"), label="[this town]"),
    Op("get", "/api/v1/campaigns/{id}", OTHER_TOWN, params=pk("other_campaign"), label="[the other town]"),
    Op("get", "/api/v1/campaigns/{id}/quotas", THIS_TOWN, params=pk("campaign"), label="[this town]"),
    Op("get", "/api/v1/campaigns/{id}/quotas", OTHER_TOWN, params=pk("other_campaign"), label="[the other town]"),
]
