"""The meeting endpoints of API.md, walked through the API alone: register, attendance, candidates, poll,
ballots, close, run-off; paper tallies; refusals with their status codes and reasons."""

from __future__ import annotations

from apps.audit.models import AuditLog
from apps.core import clock
from apps.meetings.models import Ballot

from . import build_meetings as b


def details() -> dict:
    return {"date": str(clock.today()), "place": "村党群服务中心", "chair": "甲", "recorder": "乙"}


def register(world, api, method="electronic"):
    r = api(world.secretary).post(f"campaigns/{world.campaign.pk}/meetings", {**details(), "org_id": world.village.pk, "method": method})
    assert r.status_code == 201, r.content
    return r.json()


def test_register_and_read(world, api):
    body = register(world, api)
    assert body["org_id"] == world.village.pk and body["status"] == "preparing" and body["quorate"] is None
    assert body["quota"] == {"formal_members": None, "percent": None, "value": None, "explain": ""}
    r = api(world.secretary).post(f"campaigns/{world.campaign.pk}/meetings", {**details(), "org_id": world.village.pk})
    assert r.status_code == 409 and "已有党员大会" in r.json()["detail"]
    r = api(world.secretary).post(f"campaigns/{world.campaign.pk}/meetings", {**details(), "org_id": world.village.pk, "method": "fax"})
    assert r.status_code == 400
    r = api(world.office).post(f"campaigns/{world.campaign.pk}/meetings", {**details(), "org_id": world.village2.pk, "place": " "})
    assert r.status_code == 422 and "请填写会议地点。" in r.json()["blockers"]
    assert api(world.approver).get(f"meetings/{body['id']}").status_code == 200
    assert api(world.secretary2).get(f"meetings/{body['id']}").status_code == 404


def test_electronic_procedure_with_a_run_off(world, api):
    sec = api(world.secretary)
    b.appraise(world, world.member)
    extra = b.formal_members(world, 19)  # 20 正式 → quota 2
    m = register(world, api)
    mid = m["id"]
    present = [world.member.pk, world.probationary.pk, *[x.pk for x in extra[:-1]]]
    r = sec.put(
        f"meetings/{mid}/attendance",
        {"present": present, "absent": [], "excused": [{"member_id": extra[-1].pk, "reason": "外出务工"}]},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["expected_voters"], body["present_voters"], body["quorate"]) == (19, 19, True)
    assert body["quota"] == {"formal_members": 20, "percent": "10", "value": 2, "explain": "正式党员 20 人 × 10% = 2，不超过 → 2 人"}
    assert {a["member_id"]: a["is_voter"] for a in body["attendance"]}[world.probationary.pk] is False

    r = sec.post(f"meetings/{mid}/candidates", {"member_id": world.probationary.pk, "post": "组长", "deeds": "事迹"})
    assert r.status_code == 422 and any("预备党员" in x for x in r.json()["blockers"])
    ids = []
    for person in (world.member, extra[0], extra[1]):
        r = sec.post(
            f"meetings/{mid}/candidates",
            {"member_id": person.pk, "post": "组长", "deeds": "事迹", "criteria": [{"order": 1, "text": "带头"}]},
        )
        assert r.status_code == 201, r.content
        assert r.json()["member_id"] == person.pk and r.json()["warnings"] == []
        ids.append(r.json()["id"])
    a, c2, c3 = ids

    r = sec.get(f"meetings/{mid}/poll")
    assert r.status_code == 404 and r.json() == {"detail": "本次党员大会尚未开始投票。", "blockers": []}
    r = sec.post(f"meetings/{mid}/poll")
    assert r.status_code == 201, r.content
    poll = r.json()
    assert poll["round"] == 1 and poll["max_choices"] == 2 and poll["candidate_ids"] == sorted(ids)
    assert len(poll["codes"]) == 19 and poll["vote_url"].endswith("/vote/")
    assert sec.post(f"meetings/{mid}/poll").status_code == 409

    anon = api(None)
    votes = [[a, c2]] * 6 + [[a, c3]] * 6 + [[c2, c3]] * 5  # a 12, c2 11, c3 11 → a; tie c2, c3 (> 9.5)
    for code, choice in zip(poll["codes"], votes, strict=False):
        assert anon.post("ballots", {"code": code, "choices": choice}).status_code == 201
    assert anon.post("ballots", {"code": poll["codes"][0], "choices": []}).status_code == 409
    r = anon.post("ballots", {"code": poll["codes"][18], "choices": [a, c2, c3]})
    assert r.status_code == 422 and "最多可选 2 人" in r.json()["blockers"][0]
    assert anon.post("ballots", {"code": poll["codes"][18], "choices": [a, a]}).status_code == 422
    assert anon.post("ballots", {"code": poll["codes"][18], "choices": [99999]}).status_code == 422
    assert anon.post("ballots", {"code": "not-a-code", "choices": []}).status_code == 404
    assert anon.post("ballots", {"code": poll["codes"][18], "choices": "x"}).status_code == 400

    state = sec.get(f"meetings/{mid}/poll").json()
    assert state == {"round": 1, "status": "open", "issued": 19, "used": 17, "results": None}
    detail = sec.get(f"meetings/{mid}").json()
    assert detail["rounds"][0]["results"] is None and detail["recommended"] == []

    r = sec.post(f"meetings/{mid}/poll/close")
    assert r.status_code == 200, r.content
    closed = r.json()
    assert (closed["issued"], closed["used"], closed["recommended"], closed["tie"]) == (19, 17, [a], sorted([c2, c3]))
    assert {x["candidate_id"]: (x["votes"], x["passed"]) for x in closed["results"]} == {a: (12, True), c2: (11, True), c3: (11, True)}
    assert sec.post(f"meetings/{mid}/poll/close").status_code == 409
    assert anon.post("ballots", {"code": poll["codes"][18], "choices": []}).status_code == 404

    r = sec.post(f"meetings/{mid}/poll")
    run_off = r.json()
    assert r.status_code == 201 and run_off["round"] == 2 and run_off["max_choices"] == 1
    assert run_off["candidate_ids"] == sorted([c2, c3])
    for code in run_off["codes"][:11]:
        assert anon.post("ballots", {"code": code, "choices": [c3]}).status_code == 201
    closed = sec.post(f"meetings/{mid}/poll/close").json()
    assert closed["recommended"] == [c3] and closed["tie"] == []
    detail = sec.get(f"meetings/{mid}").json()
    assert detail["status"] == "concluded" and detail["recommended"] == sorted([a, c3])
    assert [r["round"] for r in detail["rounds"]] == [1, 2] and detail["rounds"][1]["results"]
    assert sec.post(f"meetings/{mid}/poll").status_code == 422

    log = AuditLog.objects.filter(action="meeting.ballot_cast")
    assert log.count() == Ballot.objects.count() == 28 and not log.exclude(actor=None).exists()
    assert AuditLog.objects.filter(action="meeting.poll_close", actor=world.secretary).count() == 2


def test_poll_refused_when_not_quorate_or_no_candidates(world, api):
    sec = api(world.secretary)
    b.formal_members(world, 9)
    mid = register(world, api)["id"]
    r = sec.put(f"meetings/{mid}/attendance", {"present": [world.member.pk]})
    assert r.status_code == 200 and r.json()["quorate"] is False
    r = sec.post(f"meetings/{mid}/poll")
    assert r.status_code == 422
    assert any("会议无效" in x for x in r.json()["blockers"]) and "尚未确定候选人。" in r.json()["blockers"]
    r = sec.put(f"meetings/{mid}/attendance", {"present": [world.member2.pk]})
    assert r.status_code == 422 and "不是东岭村党支部在册党员" in r.json()["blockers"][0]


def test_missing_appraisal_needs_confirmation(world, api):
    sec = api(world.secretary)
    mid = register(world, api)["id"]
    body = {"member_id": world.member.pk, "post": "组长", "deeds": "事迹"}
    r = sec.post(f"meetings/{mid}/candidates", body)
    assert r.status_code == 422 and "须支部确认" in r.json()["blockers"][0]
    r = sec.post(f"meetings/{mid}/candidates", {**body, "confirm_missing_appraisal": True})
    assert r.status_code == 201 and "已确认" in r.json()["warnings"][0]
    assert sec.post(f"meetings/{mid}/candidates", {**body, "member_id": world.member2.pk}).status_code == 404  # not in its scope


def test_paper_tallies(world, api):
    m, (a, c2) = b.ready_meeting(world, voters=10, candidates=2, method="paper")  # quota 1
    sec = api(world.secretary)
    entry = {"issued": 10, "returned": 10, "valid": 9, "invalid": 1, "votes": {str(a.pk): 7, str(c2.pk): 2}}
    assert sec.post(f"meetings/{m.pk}/poll").status_code == 422
    r = sec.post(f"meetings/{m.pk}/tallies", {**entry, "teller": "counter", "teller_name": "计票甲"})
    waiting = dict.fromkeys(("issued", "used", "valid", "invalid", "results", "recommended", "tie", "result"))
    assert r.status_code == 201 and r.json() == {"round": 1, "teller": "counter", "status": "open", **waiting}
    r = sec.post(f"meetings/{m.pk}/tallies", {**entry, "teller": "scrutineer", "votes": {str(a.pk): 6, str(c2.pk): 2}})
    assert r.status_code == 409 and "得票（计票人 7，监票人 6）" in r.json()["detail"]
    r = sec.post(f"meetings/{m.pk}/tallies", {**entry, "teller": "scrutineer", "returned": 11, "valid": 10})
    assert r.status_code == 422 and any("多于发出选票" in x for x in r.json()["blockers"])
    r = sec.post(f"meetings/{m.pk}/tallies", {**entry, "teller": "scrutineer", "issued": -1})
    assert r.status_code == 400
    r = sec.post(f"meetings/{m.pk}/tallies", {**entry, "teller": "scrutineer"})
    assert r.status_code == 201
    result = r.json()["result"]
    assert r.json()["status"] == "closed" and result["recommended"] == [a.pk] and result["valid"] == 9
    # "closes with results as above" (API.md): poll/close's fields at the top level too
    assert {k: r.json()[k] for k in result} == result and r.json()["results"][0]["votes"] == 7
    state = sec.get(f"meetings/{m.pk}/poll").json()
    assert state["status"] == "closed" and state["results"][0] == {
        "candidate_id": a.pk,
        "votes": 7,
        "passed": True,
        "recommended": True,
        "tied": False,
    }
    assert sec.post(f"meetings/{m.pk}/poll/close").status_code == 422
