"""API: GET orgs, POST orgs, GET members, PUT members/{id}/appraisals/{year} (API.md "Read", "Write")."""

from __future__ import annotations

from apps.audit.models import AuditLog
from apps.orgs.choices import Category, Grade, MemberStatus, OrgKind, OrgLevel
from apps.orgs.models import Appraisal, Organization

from . import factories as f
from .api_helpers import bad_json, refused, unchanged

# --- GET orgs -----------------------------------------------------------------------------------------------------


def test_orgs_lists_the_visible_organizations_with_live_member_counts(world, api):
    f.member(world.village, "新党员")
    f.member(world.village, "已故党员", status=MemberStatus.DECEASED)
    r = api(world.office).get("orgs")
    assert r.status_code == 200
    rows = {row["id"]: row for row in r.json()}
    assert set(rows) == {world.town.pk, world.village.pk, world.village2.pk, world.organ.pk}
    village = rows[world.village.pk]
    # 张三, 新党员 formal and 在册; 李四 probationary; 孙八 transferred and the deceased don't count.
    assert village == {
        "id": world.village.pk,
        "name": "东岭村党支部",
        "level": "branch",
        "kind": "village",
        "parent_id": world.town.pk,
        "formal_members": 2,
        "probationary_members": 1,
        "is_active": True,
    }
    assert rows[world.town.pk]["level"] == "town" and rows[world.town.pk]["kind"] == "organ"
    assert rows[world.organ.pk]["kind"] == "organ" and rows[world.organ.pk]["formal_members"] == 1


def test_orgs_scope_follows_the_role(world, api):
    assert [o["id"] for o in api(world.secretary).get("orgs").json()] == [world.village.pk]
    assert {o["id"] for o in api(world.inspector).get("orgs").json()} == {world.village.pk, world.village2.pk}
    assert len(api(world.county_user).get("orgs").json()) == Organization.objects.count()


def test_orgs_filters_and_wrong_types(world, api):
    c = api(world.office)
    assert {o["id"] for o in c.get("orgs", parent_id=world.town.pk).json()} == {world.village.pk, world.village2.pk, world.organ.pk}
    assert {o["id"] for o in c.get("orgs", kind="village").json()} == {world.village.pk, world.village2.pk}
    assert [o["id"] for o in c.get("orgs", level="town").json()] == [world.town.pk]
    refused(c.get("orgs", kind="村"), 400, "kind")
    refused(c.get("orgs", parent_id="abc"), 400, "parent_id", "整数")


# --- POST orgs ----------------------------------------------------------------------------------------------------


def test_town_office_creates_a_branch_in_its_town(world, api):
    r = api(world.office).post("orgs", {"name": "  新村党支部 ", "level": "branch", "kind": "village", "parent_id": world.town.pk})
    assert r.status_code == 201, r.content
    body = r.json()
    org = Organization.objects.get(pk=body["id"])
    assert body == {
        "id": org.pk,
        "name": "新村党支部",
        "level": "branch",
        "kind": "village",
        "parent_id": world.town.pk,
        "formal_members": 0,
        "probationary_members": 0,
        "is_active": True,
    }
    assert org.path.startswith(world.town.path)
    log = AuditLog.objects.get(action="org.create", target_id=str(org.pk))
    assert log.actor == world.office and log.town == world.town


def test_create_org_refusals_change_nothing(world, api):
    c, secretary = api(world.office), api(world.secretary)
    with unchanged():
        refused(c.post("orgs", {"name": world.village.name, "level": "branch", "kind": "village", "parent_id": world.town.pk}), 422, "同名")
        refused(c.post("orgs", {"name": "下级支部", "level": "branch", "kind": "village", "parent_id": world.village.pk}), 422, "不能设在")
        refused(c.post("orgs", {"name": "新镇", "level": "town", "kind": "organ", "parent_id": world.county.pk}), 404)
        refused(c.post("orgs", {"name": "新镇", "level": "town", "kind": "organ", "parent_id": world.town.pk}), 403, "系统管理员")
        refused(c.post("orgs", {"name": "无上级", "level": "branch", "kind": "village"}), 403)
        refused(c.post("orgs", {"name": "x", "level": "支部", "kind": "village", "parent_id": world.town.pk}), 400, "level")
        refused(c.post("orgs", {"name": "x", "level": "branch", "kind": "village", "parent_id": "镇"}), 400, "parent_id")
        refused(c.post("orgs", {"name": "", "level": "branch", "kind": "village", "parent_id": world.town.pk}), 400, "name", "不能为空")
        refused(c.post("orgs", {"name": "a\x00b", "level": "branch", "kind": "village", "parent_id": world.town.pk}), 400, "控制字符")
        refused(c.post("orgs", ["not", "an", "object"]), 400)
        refused(bad_json(c, "post", "orgs"), 400, "JSON")
        refused(secretary.post("orgs", {"name": "x", "level": "branch", "kind": "village", "parent_id": world.village.pk}), 403)


def test_admin_creates_a_town_under_the_county(world, api):
    r = api(world.admin).post("orgs", {"name": "中共北岭镇委员会", "level": "town", "kind": "organ", "parent_id": world.county.pk})
    assert r.status_code == 201 and r.json()["level"] == "town"
    assert AuditLog.objects.get(action="org.create", target_id=str(r.json()["id"])).actor == world.admin


# --- GET members --------------------------------------------------------------------------------------------------

MEMBER_KEYS = {"id", "name", "category", "status", "branch_id", "post"}


def test_members_never_carry_id_number_phone_or_birth_date(world, api):
    r = api(world.office).get("members", org_id=world.village.pk)
    assert r.status_code == 200
    rows = r.json()
    assert {row["name"] for row in rows} == {"张三", "李四", "孙八"}
    assert all(set(row) == MEMBER_KEYS for row in rows)
    text = r.content.decode()
    for m in (world.member, world.probationary, world.transferred):
        assert m.id_number not in text and m.phone not in text and m.id_number[:6] not in text
        assert m.birth_date.isoformat() not in text
    zhang = next(row for row in rows if row["name"] == "张三")
    assert zhang == {
        "id": world.member.pk,
        "name": "张三",
        "category": "formal",
        "status": "active",
        "branch_id": world.village.pk,
        "post": "",
    }


def test_members_of_a_town_include_its_branches_and_follow_scope(world, api):
    names = {row["name"] for row in api(world.office).get("members", org_id=world.town.pk).json()}
    assert names == {"张三", "李四", "孙八", "王五", "赵六"}
    assert {row["name"] for row in api(world.secretary).get("members").json()} == {"张三", "李四", "孙八"}
    refused(api(world.secretary).get("members", org_id=world.town.pk), 404)
    refused(api(world.secretary).get("members", org_id=world.far_village.pk), 404)
    refused(api(world.inspector).get("members"), 403, "党员名单")


def test_members_filters_paging_and_wrong_types(world, api):
    c = api(world.office)
    assert {r["name"] for r in c.get("members", org_id=world.village.pk, status="active", category="probationary").json()} == {"李四"}
    everyone = [r["id"] for r in c.get("members").json()]
    assert [r["id"] for r in c.get("members", limit=2, offset=1).json()] == everyone[1:3]
    refused(c.get("members", org_id="东岭"), 400, "org_id")
    refused(c.get("members", limit=0), 400, "limit")
    refused(c.get("members", category="正式"), 400, "category")


# --- PUT members/{id}/appraisals/{year} ---------------------------------------------------------------------------


def test_put_appraisal_records_and_corrects_a_grade(world, api):
    year = world.campaign.appraisal_year
    c = api(world.secretary)
    r = c.put(f"members/{world.member.pk}/appraisals/{year}", {"grade": "excellent"})
    assert r.status_code == 200
    assert r.json() == {"member_id": world.member.pk, "year": year, "grade": "excellent", "note": ""}
    appraisal = Appraisal.objects.get(member=world.member, year=year)
    assert appraisal.grade == Grade.EXCELLENT and appraisal.recorded_by == world.secretary
    assert AuditLog.objects.get(action="appraisal.create").actor == world.secretary
    r = c.put(f"members/{world.member.pk}/appraisals/{year}", {"grade": "basic", "note": "复核更正"})
    assert r.status_code == 200 and r.json()["grade"] == "basic"
    appraisal.refresh_from_db()
    assert appraisal.grade == Grade.BASIC and appraisal.note == "复核更正"
    log = AuditLog.objects.get(action="appraisal.update")
    assert log.actor == world.secretary and log.changes["评议等次"] == ["优秀", "基本合格"]
    assert Appraisal.objects.filter(member=world.member).count() == 1


def test_put_appraisal_refusals_change_nothing(world, api):
    year = world.campaign.appraisal_year
    c, approver, secretary2 = api(world.office), api(world.approver), api(world.secretary2)
    path = f"members/{world.member.pk}/appraisals"
    with unchanged():
        refused(c.put(f"{path}/1980", {"grade": "qualified"}), 422, "评议年度")
        refused(c.put(f"{path}/{year + 10}", {"grade": "qualified"}), 422, "评议年度")
        refused(c.put(f"{path}/{year}", {"grade": "优秀"}), 400, "grade")
        refused(c.put(f"{path}/{year}", {"grade": 1}), 400, "grade")
        refused(c.put(f"{path}/{year}", {}), 400, "grade", "缺少")
        refused(c.put(f"{path}/abc", {"grade": "qualified"}), 400, "year")
        refused(bad_json(c, "put", f"{path}/{year}"), 400, "JSON")
        refused(approver.put(f"{path}/{year}", {"grade": "qualified"}), 403)
        refused(secretary2.put(f"{path}/{year}", {"grade": "qualified"}), 404)
        refused(c.put(f"members/{world.far_member.pk}/appraisals/{year}", {"grade": "qualified"}), 404)
        refused(c.put(f"members/999999/appraisals/{year}", {"grade": "qualified"}), 404)


def test_grades_are_the_models_values():
    assert {"excellent", "qualified", "basic", "unqualified"} == set(Grade.values)
    assert set(OrgLevel.values) == {"county", "town", "committee", "general", "branch"}
    assert set(OrgKind.values) == {"village", "community", "organ", "enterprise", "school", "other"}
    assert set(Category.values) == {"formal", "probationary"}


def test_a_concurrent_same_name_that_slips_past_the_check_is_still_a_422(world, api):
    from unittest import mock

    from django.db.models import QuerySet

    c = api(world.office)
    real_exists = QuerySet.exists

    def exists(qs):
        if qs.model is Organization and '"name" =' in str(qs.query).partition("WHERE")[2]:
            return False  # the same-name check misses, as it would in a race
        return real_exists(qs)

    with unchanged(), mock.patch.object(QuerySet, "exists", exists):
        refused(c.post("orgs", {"name": world.village.name, "level": "branch", "kind": "village", "parent_id": world.town.pk}), 422, "同名")
