"""Page rows: the progress board (the town's roles and the county read it; a secretary sees its own row;
inspectors work on villages only) and its export."""

from ..matrix import Case, expect

OWN = expect(200, inspector=403, other_office=404)
FAR = expect(404, admin=200, county_user=200, other_office=200)

CASES = [
    Case("oversight:board_current", "the board or the towns' summary", expect(302, admin=200, county_user=200)),
    Case("oversight:board", "this town's board", OWN, kwargs=lambda w, u: {"pk": w.campaign.pk}),
    Case(
        "oversight:board", "other town's board", FAR, kwargs=lambda w, u: {"pk": w.other_campaign.pk}, secret=lambda w: w.far_village.name
    ),
    Case("oversight:board_export", "this town's export", OWN, kwargs=lambda w, u: {"pk": w.campaign.pk}),
    Case("oversight:board_export", "other town's export", FAR, kwargs=lambda w, u: {"pk": w.other_campaign.pk}),
]
