"""From the town's 参评名单 (built by the nominations actions) through the 公示 and an objection to the
commendation, through the JSON API alone for the steps of this app."""

from __future__ import annotations

import datetime as dt

from apps.core import clock
from apps.nominations import actions as nominations
from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination
from apps.notices.models import Notice

from .build_nominations import submitted


def test_listed_by_the_town_posted_objected_and_commended(world, api):
    proposal = submitted(world.secretary, world.campaign, world.village)
    for nomination in proposal.nominations.all():
        nominations.decide_nomination(world.approver, nomination, "approve")
    nominations.form_county_list(world.office, world.campaign)
    listed = list(Nomination.objects.filter(campaign=world.campaign, status=NominationStatus.LISTED).order_by("pk"))
    assert len(listed) >= 2

    office, public, approver = api(world.office), api(None), api(world.approver)
    today = clock.today()
    notice = office.post(f"campaigns/{world.campaign.pk}/notices", {"start": today.isoformat()}).json()
    assert sorted(notice["nomination_ids"]) == [n.pk for n in listed]
    entries = public.get(f"public/notices/{notice['public_id']}").json()["entries"]
    assert {e["nomination_id"] for e in entries} == {n.pk for n in listed}
    code = public.post(
        f"public/notices/{notice['public_id']}/objections", {"text": "反映事迹不实。", "nomination_id": listed[0].pk}
    ).json()["tracking_code"]
    refused = approver.post(f"campaigns/{world.campaign.pk}/commendations", {"doc_number": "东党发〔2026〕9号", "date": today.isoformat()})
    assert refused.status_code == 422
    assert any("公示" in b for b in refused.json()["blockers"]) and any("异议" in b for b in refused.json()["blockers"])

    objection = office.get(f"campaigns/{world.campaign.pk}/objections").json()[0]
    assert (
        office.post(f"objections/{objection['id']}/conclude", {"outcome": "upheld", "conclusion": "经核实，反映属实。"}).status_code == 200
    )
    assert public.get(f"public/objections/{code}").json() == {
        "status": "concluded",
        "outcome": "upheld",
        "conclusion": "经核实，反映属实。",
    }

    # The period runs out (moved back in time rather than waiting for it).
    Notice.objects.filter(pk=notice["id"]).update(start=today - dt.timedelta(days=20), end=today - dt.timedelta(days=14))
    r = approver.post(f"campaigns/{world.campaign.pk}/commendations", {"doc_number": "东党发〔2026〕9号", "date": today.isoformat()})
    assert r.status_code == 201, r.content
    commended = {e["nomination_id"] for e in r.json()["entries"]}
    assert commended == {n.pk for n in listed[1:]}
    statuses = dict(Nomination.objects.filter(campaign=world.campaign).values_list("pk", "status"))
    assert statuses[listed[0].pk] == NominationStatus.WITHDRAWN
    assert all(statuses[pk] == NominationStatus.COMMENDED for pk in commended)
