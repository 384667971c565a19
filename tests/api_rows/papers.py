"""API rows: the papers (PDF and Word), each with the scope of its object; the public 公示 PDF needs no token."""

from __future__ import annotations

from ..build_nominations import concluded_meeting
from ..build_papers import decided, listed, posted_notice
from ..build_villages import inspected
from ..matrix import Op, api_expect

PUBLIC = [("get", "/api/v1/public/notices/{public_id}/notice.pdf")]

APPLICATION = api_expect(200, secretary2=404, inspector=404, other_office=404)
MINUTES = api_expect(200, secretary2=404, inspector=403, other_office=404)
COUNTY_LIST = api_expect(403, admin=200, office=200, approver=200, county_user=200, other_office=404)
DECISION = api_expect(200, other_office=404)

OPS = [
    *(
        Op("get", f"/api/v1/nominations/{{id}}/application.{fmt}", APPLICATION, params=lambda w: {"id": listed(w).pk})
        for fmt in ("pdf", "docx")
    ),
    *(
        Op("get", f"/api/v1/meetings/{{id}}/minutes.{fmt}", MINUTES, params=lambda w: {"id": concluded_meeting(w.campaign, w.village).pk})
        for fmt in ("pdf", "docx")
    ),
    *(
        Op("get", f"/api/v1/campaigns/{{id}}/county-list.{fmt}", COUNTY_LIST, params=lambda w: {"id": w.campaign.pk})
        for fmt in ("pdf", "docx")
    ),
    Op(
        "get",
        "/api/v1/campaigns/{id}/county-list.pdf",
        api_expect(404, admin=200, county_user=200, other_office=200),
        params=lambda w: {"id": w.other_campaign.pk},
        label="[other town]",
    ),
    *(
        Op("get", f"/api/v1/campaigns/{{id}}/commendation.{fmt}", DECISION, params=lambda w: {"id": decided(w).campaign_id})
        for fmt in ("pdf", "docx")
    ),
    Op(
        "get",
        "/api/v1/campaigns/{id}/commendation.pdf",
        api_expect(404),
        params=lambda w: {"id": w.other_campaign.pk},
        label="[no decision]",
    ),
    *(
        Op(
            "get",
            f"/api/v1/village-candidates/{{id}}/report.{fmt}",
            api_expect(200, secretary2=404, other_office=404),
            params=lambda w: {"id": inspected(w).pk},
        )
        for fmt in ("pdf", "docx")
    ),
    Op(
        "get",
        "/api/v1/campaigns/{id}/bulletin.pdf",
        api_expect(200, inspector=403, other_office=404),
        params=lambda w: {"id": w.campaign.pk},
        query=lambda w: {"date": "2026-06-30"},
    ),
    Op(
        "get",
        "/api/v1/public/notices/{public_id}/notice.pdf",
        api_expect(200, anonymous=200),
        params=lambda w: {"public_id": posted_notice(w).public_id},
    ),
]
