"""The JSON API of API.md for the proposal, submission, reopening, review and 参评名单: paths, fields and
status codes, over the same actions as the pages."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.nominations.models import Nomination, Proposal

from .build_nominations import campaign_with, concluded_meeting, proposal_data


def _json(data: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}


def test_walk_from_proposal_to_county_list(world, api):
    meeting = concluded_meeting(world.campaign, world.village)
    ids = sorted(c.pk for c in meeting.recommended_candidates())
    secretary, approver, office = api(world.secretary), api(world.approver), api(world.office)

    r = secretary.post(f"meetings/{meeting.pk}/proposal", _json(proposal_data(meeting, ids[:2])))
    assert r.status_code == 201, r.content
    body = r.json()
    assert {n["candidate_id"] for n in body["nominations"]} == set(ids[:2])
    assert {n["status"] for n in body["nominations"]} == {"draft"}
    # Edited before submission: 201 as API.md has it, the same proposal revised.
    r = secretary.post(f"meetings/{meeting.pk}/proposal", _json(proposal_data(meeting, ids)))
    assert r.status_code == 201 and r.json()["id"] == body["id"] and len(r.json()["nominations"]) == 3
    proposal_id = body["id"]

    r = secretary.post(f"proposals/{proposal_id}/submit")
    assert r.status_code == 200 and {n["status"] for n in r.json()["nominations"]} == {"submitted"}
    assert secretary.post(f"proposals/{proposal_id}/submit").status_code == 409

    listed = approver.get(f"campaigns/{world.campaign.pk}/nominations", status="submitted").json()
    assert len(listed) == 3 and {row["org_id"] for row in listed} == {world.village.pk}
    assert {"id", "org_id", "member_id", "name", "status"} <= set(listed[0])
    a, b, c = sorted(row["id"] for row in listed)

    assert approver.post(f"nominations/{a}/decision", {"decision": "approve"}).status_code == 200
    r = approver.post(f"nominations/{a}/decision", {"decision": "return", "reason": "晚到的退回"})
    assert r.status_code == 409 and "已由" in r.json()["detail"]
    r = approver.post(f"nominations/{b}/decision", {"decision": "return", "reason": ""})
    assert r.status_code == 422 and any("理由" in x for x in r.json()["blockers"])
    r = approver.post(f"nominations/{b}/decision", {"decision": "return", "reason": "请补充事迹"})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert approver.post(f"nominations/{c}/decision", {"decision": "approve"}).status_code == 200

    # The returned one is resubmitted the same way.
    assert secretary.post(f"proposals/{proposal_id}/submit").status_code == 200
    assert Nomination.objects.get(pk=b).status == "submitted"
    r = office.post(f"campaigns/{world.campaign.pk}/county-list")
    assert r.status_code == 422 and "待审批" in r.json()["detail"]
    assert approver.post(f"nominations/{b}/decision", {"decision": "approve"}).status_code == 200

    assert api(world.county_user).get(f"campaigns/{world.campaign.pk}/nominations").json() == []
    r = office.post(f"campaigns/{world.campaign.pk}/county-list")
    assert r.status_code == 201 and sorted(r.json()["nomination_ids"]) == [a, b, c]
    county = api(world.county_user).get(f"campaigns/{world.campaign.pk}/nominations").json()
    assert sorted(row["id"] for row in county) == [a, b, c] and {row["status"] for row in county} == {"listed"}


def test_quota_and_subset_refusals_name_the_rule(world, api):
    meeting = concluded_meeting(world.campaign, world.village, formal=25, recommended=3, not_recommended=1)
    secretary = api(world.secretary)
    recommended = [c.pk for c in meeting.recommended_candidates()]
    r = secretary.post(f"meetings/{meeting.pk}/proposal", _json(proposal_data(meeting, recommended)))
    assert r.status_code == 422
    assert "正式党员 25 人 × 10% = 2.5，不超过 → 2 人" in r.json()["blockers"][0]
    loser = meeting.candidates.exclude(pk__in=recommended).get()
    r = secretary.post(f"meetings/{meeting.pk}/proposal", _json(proposal_data(meeting, [loser.pk])))
    assert r.status_code == 422 and "不在推荐名单中" in r.json()["detail"]
    assert not Proposal.objects.exists()


def test_deadline_and_reopening(world, api):
    campaign_with(world.campaign, deadline=timezone.localdate() - dt.timedelta(days=2))
    meeting = concluded_meeting(world.campaign, world.village)
    secretary, office = api(world.secretary), api(world.office)
    proposal_id = secretary.post(f"meetings/{meeting.pk}/proposal", _json(proposal_data(meeting))).json()["id"]
    r = secretary.post(f"proposals/{proposal_id}/submit")
    assert r.status_code == 422 and "已过申报截止日期" in r.json()["detail"]
    until = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert (
        secretary.post(f"campaigns/{world.campaign.pk}/reopenings", {"org_id": world.village.pk, "until": until, "reason": "x"}).status_code
        == 403
    )
    r = office.post(f"campaigns/{world.campaign.pk}/reopenings", {"org_id": world.village.pk, "until": until, "reason": "支部书记外出培训"})
    assert r.status_code == 201 and r.json()["until"] == until
    assert secretary.post(f"proposals/{proposal_id}/submit").status_code == 200
    r = office.post(f"campaigns/{world.campaign.pk}/reopenings", {"org_id": world.far_village.pk, "until": until, "reason": "x"})
    assert r.status_code == 404


def test_the_submitter_gets_403(world, api):
    world.office.can_approve = True
    world.office.save()
    meeting = concluded_meeting(world.campaign, world.village, recommended=1)
    office = api(world.office)
    proposal_id = office.post(f"meetings/{meeting.pk}/proposal", _json(proposal_data(meeting))).json()["id"]
    nomination = office.post(f"proposals/{proposal_id}/submit").json()["nominations"][0]["id"]
    r = office.post(f"nominations/{nomination}/decision", {"decision": "approve"})
    assert r.status_code == 403 and "本人报送" in r.json()["detail"]
    assert api(world.approver).post(f"nominations/{nomination}/decision", {"decision": "approve"}).status_code == 200


def test_bad_input_is_400_not_500(world, api):
    meeting = concluded_meeting(world.campaign, world.village)
    secretary = api(world.secretary)
    assert secretary.post(f"meetings/{meeting.pk}/proposal", {"candidate_ids": "all"}).status_code == 400
    r = secretary.post(f"meetings/{meeting.pk}/proposal", _json(proposal_data(meeting, publicity_start="2026-02-30")))
    assert r.status_code == 400
    r = secretary.post(f"meetings/{meeting.pk}/proposal", _json(proposal_data(meeting, opinion="同意\x00推荐")))
    assert r.status_code == 422 and "控制字符" in r.json()["detail"]
    assert secretary.get(f"campaigns/{world.campaign.pk}/nominations", status="bogus").status_code == 400
    assert api(world.approver).post("nominations/999999/decision", {"decision": "maybe"}).status_code in (400, 404)
    r = secretary.client.post(
        f"/api/v1/meetings/{meeting.pk}/proposal", data="{not json", content_type="application/json", headers=secretary.headers
    )
    assert r.status_code == 400
