"""API: GET audit?since= — a town office reads its own town's log, an administrator all of it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.audit.models import AuditLog
from apps.core import clock

from .api_helpers import refused


def test_writes_through_the_api_appear_as_the_tokens_user(world, api):
    c = api(world.office)
    start = timezone.now()
    year = world.campaign.appraisal_year
    assert c.put(f"members/{world.member.pk}/appraisals/{year}", {"grade": "excellent"}).status_code == 200
    assert c.put(f"members/{world.member.pk}/appraisals/{year}", {"grade": "qualified"}).status_code == 200
    rows = c.get("audit", since=start.isoformat()).json()
    assert [row["action"] for row in rows] == ["appraisal.create", "appraisal.update"]
    update = rows[1]
    assert update["user"] == "office" and update["object"] == str(world.member.appraisals.get())
    assert update["before"] == {"评议等次": "优秀"} and update["after"] == {"评议等次": "合格"}
    assert update["action_label"] == "修改民主评议" and update["object_type"] == "orgs.appraisal"
    assert dt.datetime.fromisoformat(update["at"]) >= start


def test_scope_of_the_log(world, api):
    towns = set(AuditLog.objects.values_list("town_id", flat=True))
    assert {world.town.pk, world.other_town.pk} <= towns
    office_rows = api(world.office).get("audit").json()
    assert office_rows and {AuditLog.objects.get(pk=r["id"]).town_id for r in office_rows} == {world.town.pk}
    admin_ids = {r["id"] for r in api(world.admin).get("audit", limit=1000).json()}
    assert admin_ids == set(AuditLog.objects.values_list("pk", flat=True))
    for user in (world.approver, world.secretary, world.inspector, world.county_user):
        refused(api(user).get("audit"), 403, "审计日志")


def test_since_and_limit(world, api):
    c = api(world.admin)
    everything = c.get("audit", limit=1000).json()
    assert [r["id"] for r in everything] == sorted(r["id"] for r in everything)  # oldest first
    assert c.get("audit", since=(timezone.now() + dt.timedelta(hours=1)).isoformat()).json() == []
    assert len(c.get("audit", since=clock.today().isoformat()).json()) == len(everything)
    assert [r["id"] for r in c.get("audit", limit=2).json()] == [r["id"] for r in everything[:2]]
    refused(c.get("audit", since="昨天"), 400, "since")
    refused(c.get("audit", since="0001-01-01T00:00:00+08:00"), 400, "since")
    refused(c.get("audit", limit=5000), 400, "limit")


def test_token_creation_and_revocation_are_in_the_towns_log(world, api):
    from apps.api.actions import create_api_token, revoke_api_token

    row, _ = create_api_token(world.secretary, name="脚本")
    revoke_api_token(world.secretary, row)
    office_actions = [r["action"] for r in api(world.office).get("audit", action="api_token.create").json()]
    assert office_actions  # the secretary's token (and the office's own) are in the town's log
    assert {r["object_id"] for r in api(world.office).get("audit", action="api_token.revoke").json()} == {str(row.pk)}
    assert not [r for r in api(world.other_office).get("audit").json() if r["object_id"] == str(row.pk)]
