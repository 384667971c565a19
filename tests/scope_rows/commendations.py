"""Page rows: the commendation page (read in the town and by the county; decided by the approval right)."""

from ..matrix import Case, expect

CASES = [
    Case("commendations:results", "this town's results", expect(200, other_office=404), kwargs=lambda w, u: {"pk": w.campaign.pk}),
    Case(
        "commendations:results",
        "blank decision",
        expect(403, approver=422, other_office=404),
        kwargs=lambda w, u: {"pk": w.campaign.pk},
        method="post",
    ),
    Case(
        "commendations:results",
        "other town's results",
        expect(404, admin=200, county_user=200, other_office=200),
        kwargs=lambda w, u: {"pk": w.other_campaign.pk},
    ),
    Case(
        "commendations:results",
        "other town's decision",
        expect(404, admin=403, county_user=403, other_office=403),
        kwargs=lambda w, u: {"pk": w.other_campaign.pk},
        method="post",
    ),
]
