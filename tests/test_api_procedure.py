"""The whole 示范岗 procedure walked through the JSON API alone, as a county platform would, using only
what ../API.md promises: set up a town and its people, hold the branch meeting with an electronic
secret ballot (with a run-off), propose, submit, review, list for the county, post the 公示, handle an
objection and commend. Tokens come from `manage.py create_api_token`, as API.md says."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from apps.core import clock
from apps.core.idcard import make_id


class Caller:
    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def __call__(self, method: str, path: str, body=None, status: int = 200):
        kw = {"headers": self.headers}
        if body is not None:
            kw.update(data=json.dumps(body), content_type="application/json")
        response = getattr(self.client, method)("/api/v1/" + path, **kw)
        assert response.status_code == status, (method, path, response.status_code, response.content.decode()[:600])
        return response.json() if response.content else None


def token_for(username: str) -> Caller:
    out = io.StringIO()
    call_command("create_api_token", username, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    return Caller(lines[0])


def person(n: int, branch_id: int, category: str = "formal") -> dict:
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=97 * n)
    number = make_id("369901", birth, 400 + n)
    return {
        "name": f"测试党员{n:02d}",
        "gender": "男" if int(number[16]) % 2 else "女",
        "id_number": number,
        "birth_date": birth.isoformat(),
        "category": category,
        "joined_on": "2000-07-01",
        "confirmed_on": "2001-07-01" if category == "formal" else None,
        "branch_id": branch_id,
        "post": "村民",
    }


@pytest.mark.django_db
def test_the_whole_post_procedure_through_the_api(world):
    admin = token_for("admin")
    county_id = world.county.pk

    # The town, its people and one branch with nine members (eight formal, one probationary).
    town = admin("post", "orgs", {"name": "中共北山镇委员会", "level": "town", "kind": "organ", "parent_id": county_id}, status=201)
    for username, role, extra in [
        ("bs_office", "town_office", {}),
        ("bs_approver", "town_approver", {}),
    ]:
        admin(
            "post",
            "users",
            {"username": username, "password": "Api-pass-2026!", "name": username, "role": role, "org_id": town["id"], **extra},
            status=201,
        )
    office, approver = token_for("bs_office"), token_for("bs_approver")
    branch = office("post", "orgs", {"name": "北山村党支部", "level": "branch", "kind": "village", "parent_id": town["id"]}, status=201)
    office(
        "post",
        "users",
        {"username": "bs_secretary", "password": "Api-pass-2026!", "name": "书记", "role": "branch_secretary", "org_id": branch["id"]},
        status=201,
    )
    secretary = token_for("bs_secretary")
    members = [secretary("post", "members", person(n, branch["id"]), status=201) for n in range(1, 9)]
    secretary("post", "members", person(9, branch["id"], "probationary"), status=201)
    for m in members:
        assert "*" in json.dumps(m) or "id_number" not in m  # masked, never the full number
        secretary("put", f"members/{m['id']}/appraisals/{clock.today().year - 1}", {"grade": "qualified"})

    # The campaign: 30% of 8 formal members = 2.4, not more than → 2 places.
    campaign = office(
        "post",
        "campaigns",
        {
            "town_id": town["id"],
            "year": clock.today().year,
            "post_quota_percent": "30",
            "village_quota_percent": "20",
            "rounding": "floor",
            "admit_probationary": False,
            "deadline": (clock.today() + dt.timedelta(days=20)).isoformat(),
            "notice_days": 5,
            "notice_day_kind": "natural",
            "appraisal_year": clock.today().year - 1,
            "quorum_percent": "50",
        },
        status=201,
    )
    cid = campaign["id"]
    quotas = office("get", f"campaigns/{cid}/quotas")
    assert [(p["formal_members"], p["value"]) for p in quotas["posts"] if p["org_id"] == branch["id"]] == [(8, 2)]

    # 1. The branch general meeting: seven present, one excused → expected 7, quorate.
    meeting = secretary(
        "post",
        f"campaigns/{cid}/meetings",
        {
            "org_id": branch["id"],
            "date": clock.today().isoformat(),
            "place": "村部会议室",
            "chair": "书记",
            "recorder": "委员",
            "method": "electronic",
        },
        status=201,
    )
    mid = meeting["id"]
    ids = [m["id"] for m in members]
    meeting = secretary(
        "put", f"meetings/{mid}/attendance", {"present": ids[:7], "absent": [], "excused": [{"member_id": ids[7], "reason": "外出务工"}]}
    )
    assert (meeting["expected_voters"], meeting["present_voters"], meeting["quorate"]) == (7, 7, True)
    assert meeting["quota"]["formal_members"] == 8 and meeting["quota"]["value"] == 2

    # 2. Three candidates, with how each meets the criteria.
    cands = [
        secretary(
            "post",
            f"meetings/{mid}/candidates",
            {"member_id": ids[i], "post": "村民", "deeds": f"带头致富{i}", "criteria": [{"order": 1, "text": "政治坚定"}]},
            status=201,
        )["id"]
        for i in range(3)
    ]

    # 3. Round 1 (more than half of 7 is 4 or more): A gets 6, B and C 4 each → A recommended, B and C
    # tied across the quota line for the one place left.
    poll = secretary("post", f"meetings/{mid}/poll", {}, status=201)
    assert poll["max_choices"] == 2 and len(poll["codes"]) == 7
    public = Caller(None)
    picks = [[0, 1], [0, 1], [0, 1], [0, 2], [0, 2], [0, 2], [1, 2]]
    for code, pick in zip(poll["codes"], picks, strict=True):
        public("post", "ballots", {"code": code, "choices": [cands[i] for i in pick]}, status=201)
    public("post", "ballots", {"code": poll["codes"][0], "choices": []}, status=409)  # a code works once
    assert "results" not in secretary("get", f"meetings/{mid}/poll") or not secretary("get", f"meetings/{mid}/poll")["results"]
    closed = secretary("post", f"meetings/{mid}/poll/close", {})
    assert closed["recommended"] == [cands[0]] and sorted(closed["tie"]) == sorted(cands[1:])

    # The run-off among the tied for the one place left.
    runoff = secretary("post", f"meetings/{mid}/poll", {}, status=201)
    assert runoff["round"] == 2 and runoff["max_choices"] == 1 and sorted(runoff["candidate_ids"]) == sorted(cands[1:])
    for n, code in enumerate(runoff["codes"]):
        public("post", "ballots", {"code": code, "choices": [cands[1] if n < 5 else cands[2]]}, status=201)
    closed = secretary("post", f"meetings/{mid}/poll/close", {})
    assert closed["recommended"] == [cands[1]] and closed["tie"] == []
    assert sorted(secretary("get", f"meetings/{mid}")["recommended"]) == sorted(cands[:2])

    # 4. The branch committee's proposal and the submission.
    proposal = secretary(
        "post",
        f"meetings/{mid}/proposal",
        {
            "committee_date": clock.today().isoformat(),
            "committee_attendees": "书记、委员",
            "candidate_ids": cands[:2],
            "opinion": "同意推荐",
            "publicity_start": clock.today().isoformat(),
            "publicity_end": clock.today().isoformat(),
        },
        status=201,
    )
    secretary("post", f"proposals/{proposal['id']}/submit", {})
    noms = office("get", f"campaigns/{cid}/nominations?status=submitted")
    assert len(noms) == 2

    # 5. The town's review: one approved, the other returned, corrected (resubmitted) and approved.
    first, second = (n["id"] for n in noms)
    approver("post", f"nominations/{first}/decision", {"decision": "approve", "reason": ""})
    approver("post", f"nominations/{second}/decision", {"decision": "return", "reason": "事迹材料不完整"})
    approver("post", f"nominations/{first}/decision", {"decision": "approve", "reason": ""}, status=409)
    secretary("post", f"proposals/{proposal['id']}/submit", {})
    approver("post", f"nominations/{second}/decision", {"decision": "approve", "reason": ""})
    listed = office("post", f"campaigns/{cid}/county-list", {}, status=201)
    assert sorted(listed["nomination_ids"]) == sorted([first, second])

    # 6. The 公示, already on the board for a while: its period has ended.
    start = clock.today() - dt.timedelta(days=10)
    notice = office("post", f"campaigns/{cid}/notices", {"start": start.isoformat()}, status=201)
    assert notice["end"] == (start + dt.timedelta(days=4)).isoformat()
    shown = public("get", f"public/notices/{notice['public_id']}")
    assert {e["name"] for e in shown["entries"]} == {"测试党员01", "测试党员02"}
    assert "369901" not in json.dumps(shown, ensure_ascii=False)
    public("post", f"public/notices/{notice['public_id']}/objections", {"text": "反映问题"}, status=422)  # outside the period
    objection = office(
        "post",
        f"campaigns/{cid}/objections",
        {
            "notice_id": notice["id"],
            "text": "来信反映该同志事迹有夸大",
            "received_on": (start + dt.timedelta(days=1)).isoformat(),
            "nomination_id": second,
        },
        status=201,
    )
    approver("post", f"campaigns/{cid}/commendations", {"doc_number": "北山党发〔2026〕9号", "date": clock.today().isoformat()}, status=422)
    office("post", f"objections/{objection['id']}/conclude", {"outcome": "dismissed", "conclusion": "经核实，反映不属实。"})

    # 7. The commendation, with numbered certificates.
    done = approver(
        "post", f"campaigns/{cid}/commendations", {"doc_number": "北山党发〔2026〕9号", "date": clock.today().isoformat()}, status=201
    )
    assert sorted(e["nomination_id"] for e in done["entries"]) == sorted([first, second])
    numbers = [e["certificate_no"] for e in done["entries"]]
    assert all(numbers) and len(set(numbers)) == 2
    assert {n["status"] for n in office("get", f"campaigns/{cid}/nominations")} == {"commended"}

    # Every accepted write is in the audit log as the token's user.
    log = office("get", f"audit?since={clock.today().isoformat()}")
    assert {"bs_secretary", "bs_approver", "bs_office"} <= {row["user"] for row in log}
