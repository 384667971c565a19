"""示范村: designation within the quota, groups and inspector scope, the inspection's life, evidence checks,
the report to the county, the county's decision, and the report's facts on a roster built here."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from PIL import Image

from apps.audit.models import AuditLog
from apps.core import clock
from apps.core.actions import ActionError, Conflict
from apps.orgs.choices import Category, Education, Grade, OrgKind
from apps.orgs.models import Appraisal
from apps.villages import actions
from apps.villages.choices import VillageStatus
from apps.villages.models import Evidence, Inspection, VillageCandidate
from apps.villages.report import report_facts, report_text

from . import factories as f
from .build_villages import (
    designated,
    finalized,
    grouped,
    image_bytes,
    inspected,
    inspection_data,
    reported,
    roomy,
    second_inspector,
    upload,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VILLAGE_EVIDENCE_MAX_BYTES = 200_000


# --- designation ---------------------------------------------------------------------------------------------------


def test_quota_refusal_names_the_arithmetic(world):
    # Two villages in the town at 20%: 2 × 20% = 0.4 → 0.
    with pytest.raises(ActionError) as exc:
        actions.designate_villages(world.office, world.campaign, [world.village])
    assert "村党组织 2 个 × 20% = 0.4，不超过 → 0 个" in " ".join(exc.value.blockers)
    roomy(world.campaign, 50)  # 2 × 50% = 1
    actions.designate_villages(world.office, world.campaign, [world.village])
    with pytest.raises(ActionError) as exc:
        actions.designate_villages(world.office, world.campaign, [world.village2])
    assert "不超过 → 1 个" in " ".join(exc.value.blockers)
    assert VillageCandidate.objects.filter(campaign=world.campaign).count() == 1
    assert AuditLog.objects.filter(action="village.designate").count() == 1


def test_only_the_towns_villages_may_be_designated(world):
    roomy(world.campaign)
    for org in (world.organ, world.far_village, world.town):
        with pytest.raises(ActionError) as exc:
            actions.designate_villages(world.office, world.campaign, [org])
        assert "不是本镇的村党组织" in " ".join(exc.value.blockers)
    assert not VillageCandidate.objects.exists()
    assert world.organ.kind == OrgKind.ORGAN


def test_designating_twice_is_refused_and_other_roles_may_not(world):
    designated(world, world.village)
    with pytest.raises(ActionError, match="已是本年度示范村候选"):
        actions.designate_villages(world.office, world.campaign, [world.village])
    for user in (world.secretary, world.inspector, world.county_user):
        with pytest.raises(PermissionDenied):
            actions.designate_villages(user, world.campaign, [world.village2])


# --- the group and what inspectors see ----------------------------------------------------------------------------


def test_group_members_must_be_the_towns_inspectors(world):
    one, _ = designated(world)
    data = {
        "name": "督查组",
        "leader_user_id": world.secretary.pk,
        "member_user_ids": [world.county_user.pk],
        "village_candidate_ids": [one.pk],
    }
    with pytest.raises(ActionError) as exc:
        actions.form_group(world.office, world.campaign, data)
    text = " ".join(exc.value.blockers)
    assert "组长须为本镇督查组成员账号" in text and str(world.county_user.pk) in text
    with pytest.raises(PermissionDenied):
        actions.form_group(world.inspector, world.campaign, data | {"leader_user_id": world.inspector.pk, "member_user_ids": []})


def test_a_village_is_in_one_group_only(world):
    candidate = grouped(world)
    data = {"name": "第三组", "leader_user_id": world.inspector.pk, "member_user_ids": [], "village_candidate_ids": [candidate.pk]}
    with pytest.raises(ActionError, match="已分配给"):
        actions.form_group(world.office, world.campaign, data)


def test_inspectors_see_only_their_groups_villages(world):
    candidate = grouped(world)
    other = second_inspector(world)
    mine = set(VillageCandidate.objects.visible_to(world.inspector).values_list("pk", flat=True))
    theirs = set(VillageCandidate.objects.visible_to(other).values_list("pk", flat=True))
    assert mine == {candidate.pk}
    assert theirs == {world.candidate2.pk}
    # The town and the county see both; a branch sees its own; another town sees none.
    assert VillageCandidate.objects.visible_to(world.office).count() == 2
    assert VillageCandidate.objects.visible_to(world.county_user).count() == 2
    assert not VillageCandidate.objects.visible_to(world.other_office).exists()
    assert list(VillageCandidate.objects.visible_to(world.secretary2)) == [world.candidate2]


def test_inspector_of_another_group_may_not_write(world):
    candidate = grouped(world)
    with pytest.raises(PermissionDenied):
        actions.save_inspection(second_inspector(world), candidate, inspection_data(world))
    with pytest.raises(PermissionDenied):
        actions.upload_evidence(second_inspector(world), candidate, upload("a.jpg", image_bytes()))


# --- the inspection --------------------------------------------------------------------------------------------


def test_scores_are_checked_against_the_campaigns_scale(world):
    candidate = grouped(world)
    data = inspection_data(world)
    data["findings"][0]["score"] = 21
    with pytest.raises(ActionError, match="0 到 20 分"):
        actions.save_inspection(world.inspector, candidate, data)
    actions.set_scale(world.office, world.campaign, 30)
    inspection = actions.save_inspection(world.inspector, candidate, data)
    assert inspection.findings.count() == 5
    data["findings"][0]["criterion_order"] = 99
    with pytest.raises(ActionError, match="序号为 99"):
        actions.save_inspection(world.inspector, candidate, data)


def test_future_visit_dates_are_refused(world):
    candidate = grouped(world)
    data = inspection_data(world) | {"visit_dates": [(clock.today() + dt.timedelta(days=3)).isoformat()]}
    with pytest.raises(ActionError, match="不能晚于今天"):
        actions.save_inspection(world.inspector, candidate, data)
    assert not Inspection.objects.exists()


def test_finalize_needs_every_standard(world):
    candidate = grouped(world)
    data = inspection_data(world)
    data["findings"] = data["findings"][:3]
    actions.save_inspection(world.inspector, candidate, data)
    with pytest.raises(ActionError) as exc:
        actions.finalize_inspection(world.inspector, candidate)
    assert sum("尚未填写考察情况和得分" in b for b in exc.value.blockers) == 2


def test_finalized_inspection_is_read_only_until_the_town_reopens_it(world):
    candidate = finalized(world)
    assert candidate.status == VillageStatus.FINALIZED
    assert candidate.inspection.report_text.startswith("关于东岭村党支部创建共产党员示范村的考察报告")
    with pytest.raises(Conflict):
        actions.save_inspection(world.inspector, candidate, inspection_data(world, "not_yet"))
    with pytest.raises(Conflict):
        actions.upload_evidence(world.inspector, candidate, upload("a.jpg", image_bytes()))
    with pytest.raises(Conflict):
        actions.finalize_inspection(world.inspector, candidate)
    with pytest.raises(PermissionDenied):
        actions.reopen_inspection(world.inspector, candidate, "再看看")
    with pytest.raises(ActionError, match="原因"):
        actions.reopen_inspection(world.office, candidate, " ")
    actions.reopen_inspection(world.office, candidate, "得分依据不足")
    assert AuditLog.objects.filter(action="village.inspection_reopen", note="得分依据不足").exists()
    actions.save_inspection(world.inspector, candidate, inspection_data(world, "not_yet"))
    assert Inspection.objects.get(candidate=candidate).conclusion == "not_yet"


# --- report to the county and the decision -----------------------------------------------------------------------


def test_only_finalized_recommended_villages_are_reported(world):
    inspected(world)  # a draft: nothing to report yet
    with pytest.raises(ActionError, match="没有可报送的村"):
        actions.report_villages(world.office, world.campaign)
    candidate = VillageCandidate.objects.get(pk=world.candidate.pk)
    actions.finalize_inspection(world.inspector, candidate)
    reported_ = actions.report_villages(world.office, world.campaign)
    assert [c.pk for c in reported_] == [candidate.pk]
    assert VillageCandidate.objects.get(pk=world.candidate2.pk).status == VillageStatus.DESIGNATED
    with pytest.raises(Conflict, match="不能再退回"):
        actions.reopen_inspection(world.office, candidate, "改")


def test_not_yet_villages_are_not_reported(world):
    finalized(world, "not_yet")
    with pytest.raises(ActionError):
        actions.report_villages(world.office, world.campaign)


def test_county_decision_only_after_the_town_reported(world):
    candidate = finalized(world)
    with pytest.raises(ActionError, match="尚未报送"):
        actions.decide_village(world.county_user, candidate, True, clock.today())
    actions.report_villages(world.office, world.campaign)
    with pytest.raises(PermissionDenied):
        actions.decide_village(world.office, candidate, True, clock.today())
    decided = actions.decide_village(world.county_user, candidate, True, clock.today(), "同意命名", plaque_no="SFC-2026-001")
    assert decided.status == VillageStatus.APPROVED and decided.plaque_no == "SFC-2026-001"
    assert decided.plaque_date == clock.today()
    with pytest.raises(Conflict):
        actions.decide_village(world.county_user, candidate, False, clock.today())


def test_county_decision_not_dated_before_the_report_nor_after_today(world):
    candidate = reported(world)
    yesterday, tomorrow = clock.today() - dt.timedelta(days=1), clock.today() + dt.timedelta(days=1)
    with pytest.raises(ActionError, match="不能早于镇党委报送日期"):
        actions.decide_village(world.county_user, candidate, True, yesterday)
    with pytest.raises(ActionError, match="不能晚于今天"):
        actions.decide_village(world.county_user, candidate, True, tomorrow)
    candidate.refresh_from_db()
    assert candidate.status == VillageStatus.REPORTED and candidate.decision_date is None


def test_plaque_recorded_later_and_numbers_are_unique(world):
    candidate = reported(world)
    actions.decide_village(world.county_user, candidate, True, clock.today())
    actions.record_plaque(world.county_user, candidate, "P-1", clock.today())
    with pytest.raises(Conflict):
        actions.record_plaque(world.county_user, candidate, "P-2", clock.today())
    other = VillageCandidate.objects.get(pk=world.candidate2.pk)
    VillageCandidate.objects.filter(pk=other.pk).update(status=VillageStatus.APPROVED)
    with pytest.raises(ActionError, match="已被使用"):
        actions.record_plaque(world.county_user, other, "P-1", clock.today())


def test_not_approved_village_gets_no_plaque(world):
    candidate = reported(world)
    with pytest.raises(ActionError, match="不能登记牌匾"):
        actions.decide_village(world.county_user, candidate, False, clock.today(), plaque_no="X-1")


# --- evidence -----------------------------------------------------------------------------------------------------


def test_a_script_named_jpg_is_refused(world):
    candidate = grouped(world)
    with pytest.raises(ActionError, match="文件类型不允许"):
        actions.upload_evidence(world.inspector, candidate, upload("photo.jpg", b"#!/bin/sh\nrm -rf /\n" * 20))
    with pytest.raises(ActionError, match="文件类型不允许"):
        actions.upload_evidence(world.inspector, candidate, upload("photo.jpg", b"<script>alert(1)</script>"))
    assert not Evidence.objects.exists()


def test_oversized_and_empty_files_are_refused(world):
    candidate = grouped(world)
    with pytest.raises(ActionError, match="文件过大"):
        actions.upload_evidence(world.inspector, candidate, upload("big.pdf", b"%PDF-1.4\n" + b"0" * 200_001, "application/pdf"))
    with pytest.raises(ActionError, match="文件为空"):
        actions.upload_evidence(world.inspector, candidate, upload("empty.jpg", b""))
    assert not Evidence.objects.exists()


def test_a_truncated_image_is_refused(world):
    candidate = grouped(world)
    with pytest.raises(ActionError, match="无法识别"):
        actions.upload_evidence(world.inspector, candidate, upload("a.png", image_bytes("PNG")[:60], "image/png"))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_gps_exif_is_removed(world, fmt):
    candidate = grouped(world)
    data = image_bytes(fmt, gps=True)
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get(0x8825)  # the test image really carries a GPS block
    evidence = actions.upload_evidence(world.inspector, candidate, upload("../../现场.jpg", data))
    with default_storage.open(evidence.file.name) as stored:
        content = stored.read()
    with Image.open(io.BytesIO(content)) as img:
        assert img.format == fmt
        assert not img.getexif()
        assert "exif" not in img.info
        assert img.size == (40, 30)
    assert b"TestCam" not in content
    assert evidence.name == "现场.jpg"
    assert evidence.file.name.startswith(f"village-evidence/{world.campaign.pk}/") and "现场" not in evidence.file.name
    assert evidence.size == len(content)


def test_a_pdf_is_stored_as_is(world):
    candidate = grouped(world)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    evidence = actions.upload_evidence(world.inspector, candidate, upload("scan.pdf", pdf, "application/pdf"))
    assert evidence.content_type == "application/pdf"
    with default_storage.open(evidence.file.name) as stored:
        assert stored.read() == pdf


# --- the report's facts ----------------------------------------------------------------------------------------


def test_report_facts_from_the_roster(world):
    today = clock.today()
    world.village.secretary_name = "测试书记"
    world.village.save()
    # The world's village has 张三 (formal), 李四 (probationary), 孙八 (transferred: not counted).
    young = f.member(
        world.village,
        "青年党员",
        birth=dt.date(today.year - 25, 1, 1),
        education=Education.UNIVERSITY,
        joined_on=today - dt.timedelta(days=400),
    )
    old = f.member(world.village, "老党员", birth=dt.date(today.year - 70, 1, 1), education=Education.PRIMARY)
    sub = f.org("东岭村第一党小组支部", world.village)
    f.member(
        sub, "下级党员", birth=dt.date(today.year - 40, 6, 1), category=Category.PROBATIONARY, joined_on=today - dt.timedelta(days=100)
    )
    year = world.campaign.appraisal_year
    Appraisal.objects.create(member=world.member, year=year, grade=Grade.EXCELLENT)
    Appraisal.objects.create(member=young, year=year, grade=Grade.QUALIFIED)
    Appraisal.objects.create(member=old, year=year, grade=Grade.QUALIFIED)
    Appraisal.objects.create(member=old, year=year - 1, grade=Grade.BASIC)  # another year: not counted
    candidate = inspected(world)
    facts = report_facts(candidate)
    m = facts["members"]
    assert facts["secretary"] == "测试书记"
    assert (m["total"], m["formal"], m["probationary"]) == (5, 3, 2)
    assert m["male"] + m["female"] == 5
    assert m["under_35"] == 1
    assert m["admitted_last_3_years"] == 2
    assert m["age_bands"]["35岁及以下"] == 1 and m["age_bands"]["61岁及以上"] == 1
    assert m["education"]["大学本科"] == 1 and m["education"]["小学及以下"] == 1
    assert facts["appraisals"] == {"优秀": 1, "合格": 2, "基本合格": 0, "不合格": 0}
    assert [x["order"] for x in facts["findings"]] == [1, 2, 3, 4, 5]
    assert facts["total_score"] == "90" and facts["max_score"] == 20
    assert facts["conclusion"] == "建议命名为示范村"
    text = report_text(candidate)
    assert "党组织书记测试书记" in text and "现有党员5名，其中正式党员3名、预备党员2名" in text
    assert "35岁以下党员1名" in text and "近三年发展党员2名" in text


def test_edited_report_text_is_kept_at_finalize(world):
    candidate = grouped(world)
    actions.save_inspection(world.inspector, candidate, inspection_data(world) | {"report_text": "改写后的考察报告。"})
    actions.finalize_inspection(world.inspector, candidate)
    assert Inspection.objects.get(candidate=candidate).report_text == "改写后的考察报告。"


# --- the plaque registry ----------------------------------------------------------------------------------------


def test_registry_lists_both_kinds_and_revocation_is_audited(world):
    from apps.villages import registry

    from .build_villages import commended_post, plaqued

    village = plaqued(world)
    post = commended_post(world)
    rows = registry.plaques(world.county_user)
    assert {(p.kind, p.number) for p in rows} == {("village", "SFC-1"), ("post", "东岭镇-2026-001")}
    assert not registry.plaques(world.other_office)
    assert [p.number for p in registry.plaques(world.office, "village")] == ["SFC-1"]
    with pytest.raises(PermissionDenied):
        registry.revoke_plaque(world.office, village, "复查不合格")
    with pytest.raises(ActionError, match="摘牌原因"):
        registry.revoke_plaque(world.county_user, village, " ")
    registry.revoke_plaque(world.county_user, village, "复查发现党建阵地长期闲置")
    with pytest.raises(Conflict):
        registry.revoke_plaque(world.county_user, village, "再次")
    with pytest.raises(PermissionDenied):
        registry.revoke_plaque(world.county_user, post, "复查")
    registry.revoke_plaque(world.approver, post, "受到党纪处分")
    revoked = {p.number: p.revocation.reason for p in registry.plaques(world.county_user) if p.revoked}
    assert revoked == {"SFC-1": "复查发现党建阵地长期闲置", "东岭镇-2026-001": "受到党纪处分"}
    assert AuditLog.objects.filter(action="plaque.revoke").count() == 2


def test_registry_page_and_revoke_button(world, login):
    from django.urls import reverse

    from .build_villages import plaqued

    village = plaqued(world)
    client = login(world.county_user)
    page = client.get(reverse("villages:plaque_registry")).content.decode()
    assert "SFC-1" in page and "有效" in page
    client.post(reverse("villages:revoke_village", args=[village.pk]), {"date": clock.today().isoformat(), "reason": "复查不合格"})
    page = client.get(reverse("villages:plaque_registry") + "?kind=village").content.decode()
    assert "已摘牌" in page and "复查不合格" in page


# --- withdrawing a designation, deleting a wrong file -----------------------------------------------------------


def test_withdraw_frees_the_quota_place_before_inspection_only(world):
    roomy(world.campaign, 50)  # one place
    candidate = actions.designate_villages(world.office, world.campaign, [world.village])[0]
    with pytest.raises(ActionError, match="撤销原因"):
        actions.withdraw_candidate(world.office, candidate, "")
    with pytest.raises(PermissionDenied):
        actions.withdraw_candidate(world.inspector, candidate, "选错了")
    actions.withdraw_candidate(world.office, candidate, "选错了村")
    assert AuditLog.objects.filter(action="village.withdraw", note="选错了村").exists()
    actions.designate_villages(world.office, world.campaign, [world.village2])  # the place is free again
    other = grouped_for(world, world.village2)
    actions.save_inspection(world.inspector, other, inspection_data(world))
    with pytest.raises(ActionError, match="已开始考察"):
        actions.withdraw_candidate(world.office, other, "改")


def grouped_for(world, org):
    candidate = VillageCandidate.objects.get(campaign=world.campaign, org=org)
    data = {"name": "组", "leader_user_id": world.inspector.pk, "member_user_ids": [], "village_candidate_ids": [candidate.pk]}
    actions.form_group(world.office, world.campaign, data)
    return VillageCandidate.objects.get(pk=candidate.pk)


def test_evidence_deleted_while_draft_with_its_file(world, django_capture_on_commit_callbacks):
    candidate = grouped(world)
    evidence = actions.upload_evidence(world.inspector, candidate, upload("a.jpg", image_bytes()))
    name = evidence.file.name
    assert default_storage.exists(name)
    with pytest.raises(PermissionDenied):
        actions.delete_evidence(second_inspector(world), evidence)
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_evidence(world.inspector, evidence)
    assert not Evidence.objects.exists() and not default_storage.exists(name)
    evidence = actions.upload_evidence(world.inspector, candidate, upload("b.jpg", image_bytes()))
    actions.save_inspection(world.inspector, candidate, inspection_data(world))
    actions.finalize_inspection(world.inspector, VillageCandidate.objects.get(pk=candidate.pk))
    with pytest.raises(Conflict):
        actions.delete_evidence(world.inspector, evidence)


def test_a_failed_upload_leaves_no_file(world, monkeypatch):
    candidate = grouped(world)

    def boom(*a, **k):
        raise RuntimeError("audit down")

    monkeypatch.setattr(actions, "record", boom)
    with pytest.raises(RuntimeError):
        actions.upload_evidence(world.inspector, candidate, upload("a.jpg", image_bytes()))
    assert not Evidence.objects.exists()
    assert not default_storage.listdir(f"village-evidence/{world.campaign.pk}")[1]


# --- the village branch's self-assessment ----------------------------------------------------------------------


def test_self_assessment_by_the_village_secretary_until_finalized(world):
    from apps.accounts.models import Role
    from apps.villages.models import SelfAssessment

    a = actions.submit_self_assessment(world.secretary, world.campaign, world.village, {1: "班子团结", 3: "制度上墙"})
    assert [i["order"] for i in a.items] == [1, 3]
    with pytest.raises(ActionError, match="至少对照一项"):
        actions.submit_self_assessment(world.secretary, world.campaign, world.village, {1: "  "})
    with pytest.raises(PermissionDenied):
        actions.submit_self_assessment(world.secretary, world.campaign, world.village2, {1: "x"})
    organ_secretary = f.user("organ_sec", Role.BRANCH_SECRETARY, world.organ)
    with pytest.raises(ActionError, match="只有本镇村党组织"):
        actions.submit_self_assessment(organ_secretary, world.campaign, world.organ, {1: "x"})
    # Inspectors read it only for their group's villages.
    grouped(world)
    assert SelfAssessment.objects.visible_to(world.inspector).count() == 1
    assert not SelfAssessment.objects.visible_to(second_inspector(world)).exists()
    finalized(world)
    with pytest.raises(ActionError, match="已定稿"):
        actions.submit_self_assessment(world.secretary, world.campaign, world.village, {1: "再改"})
    assert AuditLog.objects.filter(action="village.self_assess").count() == 1


def test_candidate_villages_appear_on_the_progress_board(world, api, login):
    """The real provider of apps/villages: each candidate village the caller may see is a row of the board and
    of GET campaigns/{id}/progress, at its 示范村 step; the branch chart and headline numbers count branches only."""
    from apps.oversight.progress import load_rows, step_counts, summary

    candidates = designated(world)
    rows = api(world.office).get(f"campaigns/{world.campaign.pk}/progress").json()
    village = sorted((r for r in rows if r["step"].startswith("village_")), key=lambda r: r["org_id"])
    assert village == [
        {
            "org_id": c.org_id,
            "step": "village_designated",
            "step_label": "示范村：已确定候选",
            "deadline": world.campaign.deadline.isoformat(),
            "overdue": False,
        }
        for c in sorted(candidates, key=lambda c: c.org_id)
    ]
    board = login(world.office).get(f"/campaigns/{world.campaign.pk}/progress/").content.decode()
    assert "示范村：已确定候选" in board
    every = load_rows(world.office, [world.campaign])
    branches = [r for r in every if r.kind == "branch"]
    assert summary(every)["branches"] == len(branches)
    assert sum(n for _, n in step_counts(every)) == len(branches)
    assert api(world.other_office).get(f"campaigns/{world.campaign.pk}/progress").status_code == 404


def test_plaque_registry_reads_a_fixed_number_of_queries(world):
    """Each commended post's decision date comes with the post, not from a query per post."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.commendations.models import Commendation
    from apps.nominations.models import Nomination
    from apps.villages.registry import plaques

    from .build_nominations import submitted
    from .build_villages import commended_post

    commended_post(world)
    Commendation.objects.create(campaign=world.campaign, doc_number="东党发〔2026〕7号", date=clock.today())

    def count() -> tuple[int, list]:
        with CaptureQueriesContext(connection) as ctx:
            rows = plaques(world.office)
        return len(ctx.captured_queries), rows

    count()
    one, _ = count()
    second = submitted(world.secretary2, world.campaign, world.village2, recommended=1).nominations.get()
    Nomination.objects.filter(pk=second.pk).update(status="commended", certificate_no="东岭镇-2026-002", listed_at=timezone.now())
    two, rows = count()
    assert two == one and len(rows) == 2
    assert all(p.awarded == clock.today() for p in rows)
