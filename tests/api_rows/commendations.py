"""API rows: the commendation decision (holder of the approval right)."""

from apps.core import clock

from ..matrix import Op, api_expect

OPS = [
    Op(
        "post",
        "/api/v1/campaigns/{id}/commendations",
        api_expect(403, approver=422, other_office=404),
        params=lambda w: {"id": w.campaign.pk},
        body=lambda w: {"doc_number": "东党发〔2026〕1号", "date": clock.today().isoformat()},
        label="[no notice yet]",
    ),
]
