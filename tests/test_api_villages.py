"""示范村 through the JSON API: the whole procedure, multipart evidence, and the refusals of API.md."""

from __future__ import annotations

import pytest

from apps.core import clock
from apps.villages.models import Evidence, VillageCandidate

from .build_villages import grouped, image_bytes, inspected, inspection_data, roomy, second_inspector, upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(caller, candidate_id, name, data, content_type="image/jpeg"):
    return caller.client.post(
        f"/api/v1/village-candidates/{candidate_id}/evidence", {"file": upload(name, data, content_type)}, headers=caller.headers
    )


def test_the_whole_procedure(world, api):
    roomy(world.campaign)
    office, inspector, county = api(world.office), api(world.inspector), api(world.county_user)
    r = office.post(f"campaigns/{world.campaign.pk}/village-candidates", {"org_ids": [world.village.pk, world.village2.pk]})
    assert r.status_code == 201, r.content
    rows = r.json()
    assert [row["status"] for row in rows] == ["designated", "designated"]
    assert {row["org_id"] for row in rows} == {world.village.pk, world.village2.pk}
    body = {"name": "第一督查组", "leader_user_id": world.inspector.pk, "member_user_ids": [], "village_candidate_ids": [rows[0]["id"]]}
    r = office.post(f"campaigns/{world.campaign.pk}/inspection-groups", body)
    assert r.status_code == 201 and r.json()["member_user_ids"] == [world.inspector.pk]
    cid = rows[0]["id"]
    r = inspector.post(f"village-candidates/{cid}/inspection", inspection_data(world))
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "inspected" and len(r.json()["findings"]) == 5
    r = _upload(inspector, cid, "现场.jpg", image_bytes(gps=True))
    assert r.status_code == 201, r.content
    assert r.json()["name"] == "现场.jpg" and r.json()["size"] == Evidence.objects.get().size
    r = inspector.post(f"village-candidates/{cid}/finalize")
    assert r.status_code == 200 and r.json()["finalized_at"]
    assert inspector.post(f"village-candidates/{cid}/inspection", inspection_data(world)).status_code == 409
    assert _upload(inspector, cid, "b.jpg", image_bytes()).status_code == 409
    r = county.post(f"village-candidates/{cid}/county-decision", {"approved": True, "date": clock.today().isoformat(), "note": ""})
    assert r.status_code == 422 and "尚未报送" in r.json()["blockers"][0]
    r = office.post(f"campaigns/{world.campaign.pk}/village-report")
    assert r.status_code == 201 and r.json() == {"village_candidate_ids": [cid]}
    decision = {"approved": True, "date": clock.today().isoformat(), "note": "同意", "plaque_no": "SFC-2026-01"}
    r = county.post(f"village-candidates/{cid}/county-decision", decision)
    assert r.status_code == 200 and r.json()["status"] == "approved" and r.json()["plaque_no"] == "SFC-2026-01"
    assert county.post(f"village-candidates/{cid}/county-decision", decision).status_code == 409


def test_over_the_quota_or_not_a_village_is_422(world, api):
    office = api(world.office)
    r = office.post(f"campaigns/{world.campaign.pk}/village-candidates", {"org_ids": [world.village.pk]})
    assert r.status_code == 422 and "不超过 → 0 个" in " ".join(r.json()["blockers"])
    roomy(world.campaign)
    r = office.post(f"campaigns/{world.campaign.pk}/village-candidates", {"org_ids": [world.organ.pk]})
    assert r.status_code == 422 and "不是本镇的村党组织" in r.json()["blockers"][0]
    r = office.post(f"campaigns/{world.campaign.pk}/village-candidates", {"org_ids": [world.far_village.pk]})
    assert r.status_code == 422 and world.far_village.name not in r.content.decode()
    assert not VillageCandidate.objects.exists()


def test_inspector_of_another_group_gets_404(world, api):
    candidate = inspected(world)
    other = api(second_inspector(world))
    assert other.post(f"village-candidates/{candidate.pk}/inspection", inspection_data(world)).status_code == 404
    assert _upload(other, candidate.pk, "a.jpg", image_bytes()).status_code == 404
    assert other.post(f"village-candidates/{candidate.pk}/finalize").status_code == 404
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.jpg", b"#!/bin/sh\necho pwned\n", "文件类型不允许"),
        ("empty.jpg", b"", "文件为空"),
    ],
)
def test_bad_uploads_are_422(world, api, name, data, message):
    candidate = grouped(world)
    r = _upload(api(world.inspector), candidate.pk, name, data)
    assert r.status_code == 422 and message in r.json()["blockers"][0]
    assert not Evidence.objects.exists()


def test_oversized_upload_is_422(world, api, settings):
    settings.VILLAGE_EVIDENCE_MAX_BYTES = 1000
    candidate = grouped(world)
    r = _upload(api(world.inspector), candidate.pk, "big.png", image_bytes("PNG", size=(400, 400)) + b"\0" * 1000, "image/png")
    assert r.status_code == 422 and "文件过大" in r.json()["blockers"][0]


def test_score_outside_the_scale_is_422(world, api):
    candidate = grouped(world)
    data = inspection_data(world)
    data["findings"][0]["score"] = 25
    r = api(world.inspector).post(f"village-candidates/{candidate.pk}/inspection", data)
    assert r.status_code == 422 and "0 到 20 分" in r.json()["blockers"][0]


def test_control_characters_are_refused_with_400(world, api):
    candidate = grouped(world)
    data = inspection_data(world) | {"signatures": "组长\x00"}
    r = api(world.inspector).post(f"village-candidates/{candidate.pk}/inspection", data)
    assert r.status_code == 400
    assert not VillageCandidate.objects.filter(inspection__isnull=False).exists()
