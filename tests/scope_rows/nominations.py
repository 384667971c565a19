"""Page rows: the branch proposal, submission, reopening, the town's review and the 参评名单."""

from __future__ import annotations

from apps.nominations import actions
from apps.nominations.choices import Decision

from ..build_nominations import concluded_meeting, proposal_data, proposed, submitted
from ..matrix import Case, expect, get_and_post, pk


def _meeting(w, user):
    return {"pk": concluded_meeting(w.campaign, w.village).pk}


def _far_meeting(w, user):
    return {"pk": concluded_meeting(w.other_campaign, w.far_village).pk}


def _proposal(w, user):
    return {"pk": proposed(w.secretary, w.campaign, w.village).pk}


def _draft_nomination(w, user):
    return {"pk": proposed(w.secretary, w.campaign, w.village).nominations.first().pk}


def _nomination(w, user):
    return {"pk": submitted(w.secretary, w.campaign, w.village).nominations.first().pk}


def _listed(w, user):
    nomination = submitted(w.secretary, w.campaign, w.village, recommended=1).nominations.get()
    actions.decide_nomination(w.approver, nomination, Decision.APPROVE)
    actions.form_county_list(w.office, w.campaign)
    return {"pk": w.campaign.pk}


def _proposal_form(w):
    from apps.meetings.models import Meeting

    meeting = Meeting.objects.get(campaign=w.campaign, org=w.village)
    data = proposal_data(meeting)
    data["candidate_ids"] = [str(i) for i in data["candidate_ids"]]
    return data


PROPOSERS_OWN = expect(403, admin=200, office=200, secretary=200, secretary2=404, other_office=404)
CAMPAIGN_OWN = expect(200, other_office=404)
REOPEN_OWN = expect(403, admin=200, office=200, other_office=404)

CASES = [
    Case("nominations:nominations_current", "current campaign's nominations", expect(302, admin=200, county_user=200)),
    Case(
        "nominations:campaign_nominations",
        "this town's nominations",
        expect(200, inspector=403, other_office=404),
        kwargs=pk("campaign"),
        secret=lambda w: w.village.name,
    ),
    Case(
        "nominations:campaign_nominations",
        "other town's nominations",
        expect(404, admin=200, county_user=200, other_office=200),
        kwargs=pk("other_campaign"),
        secret=lambda w: w.far_village.name,
    ),
    *get_and_post("nominations:proposal_edit", "meeting of 东岭村", PROPOSERS_OWN, kwargs=_meeting),
    Case(
        "nominations:proposal_edit",
        "valid proposal of 东岭村",
        PROPOSERS_OWN | {"admin": 302, "office": 302, "secretary": 302},
        kwargs=_meeting,
        method="post",
        data=_proposal_form,
    ),
    Case(
        "nominations:proposal_edit",
        "meeting of the other town",
        expect(404, admin=200, county_user=403, other_office=200),
        kwargs=_far_meeting,
    ),
    Case(
        "nominations:proposal_detail",
        "proposal of 东岭村",
        expect(404, admin=200, office=200, approver=200, secretary=200),
        kwargs=_proposal,
    ),
    *get_and_post(
        "nominations:nomination_edit",
        "draft nomination of 东岭村",
        expect(404, admin=200, office=200, approver=403, secretary=200),
        kwargs=_draft_nomination,
    ),
    Case("nominations:proposal_submit", "submit by GET", expect(405), kwargs=_proposal),
    Case(
        "nominations:proposal_submit",
        "proposal of 东岭村",
        expect(404, admin=302, office=302, approver=403, secretary=302),
        kwargs=_proposal,
        method="post",
    ),
    *get_and_post("nominations:reopening_create", "this town's campaign", REOPEN_OWN, kwargs=pk("campaign")),
    *get_and_post(
        "nominations:reopening_create",
        "other town's campaign",
        expect(404, admin=200, county_user=403, other_office=200),
        kwargs=pk("other_campaign"),
    ),
    Case(
        "nominations:review",
        "this town's review",
        expect(403, admin=200, office=200, approver=200, other_office=404),
        kwargs=pk("campaign"),
    ),
    Case(
        "nominations:review",
        "other town's review",
        expect(404, admin=200, county_user=403, other_office=200),
        kwargs=pk("other_campaign"),
    ),
    Case("nominations:nomination_decide", "decision by GET", expect(405), kwargs=_nomination),
    Case(
        "nominations:nomination_decide",
        "submitted nomination of 东岭村",
        expect(404, approver=302, admin=403, office=403, secretary=403),
        kwargs=_nomination,
        method="post",
        data=lambda w: {"decision": "approve", "reason": ""},
    ),
    Case(
        "nominations:county_list",
        "this town's county list",
        expect(403, admin=200, office=200, approver=200, county_user=200, other_office=404),
        kwargs=_listed,
    ),
    Case(
        "nominations:county_list",
        "form this town's county list",
        expect(403, admin=302, office=302, approver=403, county_user=403, other_office=404),
        kwargs=pk("campaign"),
        method="post",
    ),
    Case(
        "nominations:county_list",
        "other town's county list",
        expect(404, admin=200, county_user=200, other_office=200),
        kwargs=pk("other_campaign"),
    ),
]
