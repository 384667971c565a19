"""API rows: the campaign's progress rows (every role that sees the campaign; rows filtered by scope)."""

from ..matrix import Op, api_expect

OPS = [
    Op(
        "get",
        "/api/v1/campaigns/{id}/progress",
        api_expect(200, other_office=404),
        params=lambda w: {"id": w.campaign.pk},
        label="[own town]",
    ),
    Op(
        "get",
        "/api/v1/campaigns/{id}/progress",
        api_expect(404, admin=200, county_user=200, other_office=200),
        params=lambda w: {"id": w.other_campaign.pk},
        label="[other town]",
    ),
]

OPS += [
    Op(
        "get",
        "/api/v1/campaigns/{id}/assessment",
        api_expect(200, inspector=403, other_office=404),
        params=lambda w: {"id": w.campaign.pk},
        label="[own town]",
    ),
    Op(
        "get",
        "/api/v1/campaigns/{id}/assessment",
        api_expect(404, admin=200, county_user=200, other_office=200),
        params=lambda w: {"id": w.other_campaign.pk},
        label="[other town]",
    ),
]
