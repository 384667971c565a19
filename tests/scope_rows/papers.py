"""Page rows: the paper downloads (PDF, Word, the zip of 申报表), each with the scope of its object's page."""

from __future__ import annotations

from ..build_nominations import concluded_meeting, proposed
from ..build_papers import decided, listed, posted_notice, unlisted
from ..build_villages import grouped, inspected
from ..matrix import Case, expect

APPLICATION = expect(200, secretary2=404, inspector=404, other_office=404)
MINUTES = expect(200, secretary2=404, inspector=403, other_office=404)
COUNTY_LIST = expect(403, admin=200, office=200, approver=200, county_user=200, other_office=404)
OFFICE = expect(403, admin=200, office=200, other_office=404)


def _nomination(fmt):
    return lambda w, u: {"pk": listed(w).pk, "fmt": fmt}


def _meeting(fmt):
    return lambda w, u: {"pk": concluded_meeting(w.campaign, w.village).pk, "fmt": fmt}


def _campaign(fmt, attr="campaign"):
    return lambda w, u: {"pk": getattr(w, attr).pk, "fmt": fmt}


def _decided(fmt):
    return lambda w, u: {"pk": decided(w).campaign_id, "fmt": fmt}


CASES = [
    Case("papers:application", "listed nomination of 东岭村 (PDF)", APPLICATION, kwargs=_nomination("pdf")),
    Case("papers:application", "listed nomination of 东岭村 (Word)", APPLICATION, kwargs=_nomination("docx")),
    Case(
        "papers:application",
        "nomination not yet listed",
        APPLICATION | {"county_user": 404},
        kwargs=lambda w, u: {"pk": unlisted(w).pk, "fmt": "pdf"},
    ),
    Case("papers:minutes", "meeting of 东岭村 (PDF)", MINUTES, kwargs=_meeting("pdf")),
    Case("papers:minutes", "meeting of 东岭村 (Word)", MINUTES, kwargs=_meeting("docx")),
    Case(
        "papers:branch_list",
        "proposal of 东岭村",
        expect(404, admin=200, office=200, approver=200, secretary=200),
        kwargs=lambda w, u: {"pk": proposed(w.secretary, w.campaign, w.village, recommended=1).pk, "fmt": "pdf"},
    ),
    Case("papers:county_list", "this town's list (PDF)", COUNTY_LIST, kwargs=_campaign("pdf")),
    Case("papers:county_list", "this town's list (Word)", COUNTY_LIST, kwargs=_campaign("docx")),
    Case(
        "papers:county_list",
        "other town's list",
        expect(404, admin=200, county_user=200, other_office=200),
        kwargs=_campaign("pdf", "other_campaign"),
    ),
    Case("papers:notice", "this town's notice (Word)", OFFICE, kwargs=lambda w, u: {"pk": posted_notice(w).pk, "fmt": "docx"}),
    Case(
        "papers:public_notice", "posted notice", expect(200, anonymous=200), kwargs=lambda w, u: {"public_id": posted_notice(w).public_id}
    ),
    Case("papers:public_notice", "unknown notice", expect(404, anonymous=404), kwargs=lambda w, u: {"public_id": "nosuchnotice"}),
    Case("papers:commendation", "this town's decision (PDF)", expect(200, other_office=404), kwargs=_decided("pdf")),
    Case("papers:commendation", "this town's decision (Word)", expect(200, other_office=404), kwargs=_decided("docx")),
    Case("papers:commendation", "no decision yet", expect(404), kwargs=_campaign("pdf", "other_campaign")),
    Case(
        "papers:certificates",
        "this town's certificates",
        expect(403, admin=200, office=200, approver=200, other_office=404),
        kwargs=_decided("pdf"),
    ),
    Case(
        "papers:village_report",
        "东岭村 (the inspector's group)",
        expect(200, secretary2=404, other_office=404),
        kwargs=lambda w, u: {"pk": inspected(w).pk, "fmt": "pdf"},
    ),
    Case(
        "papers:village_report",
        "南坑村 (another group)",
        expect(200, inspector=404, secretary=404, other_office=404),
        kwargs=lambda w, u: (grouped(w), {"pk": w.candidate2.pk, "fmt": "docx"})[1],
    ),
    Case("papers:bulletin", "this town's bulletin", expect(200, inspector=403, other_office=404), kwargs=_campaign("pdf")),
    Case(
        "papers:bulletin",
        "other town's bulletin",
        expect(404, admin=200, county_user=200, other_office=200),
        kwargs=_campaign("docx", "other_campaign"),
    ),
    Case(
        "papers:bulletin",
        "a date that is not one",
        expect(404, inspector=403, other_office=404),
        kwargs=_campaign("pdf"),
        query=lambda w: "?date=2026-13-45",
    ),
    Case(
        "papers:applications_zip",
        "every 申报表 of the town",
        expect(200, secretary2=404, inspector=404, other_office=404),
        kwargs=lambda w, u: {"pk": listed(w).campaign_id},
    ),
    Case(
        "papers:applications_zip",
        "every 申报表 of 东岭村",
        expect(200, secretary2=404, inspector=404, other_office=404),
        kwargs=lambda w, u: {"pk": listed(w).campaign_id},
        query=lambda w: f"?org={w.village.pk}",
    ),
]
