"""The branch's appraisal sheet: a whole branch's grades for a year in one all-or-nothing save."""

from apps.audit.models import AuditLog
from apps.orgs.models import Appraisal


def test_secretary_opens_own_branch_by_default(world, login):
    page = login(world.secretary).get("/appraisals/").content.decode()
    assert world.member.name in page and world.member2.name not in page


def test_saving_grades_records_each_change_once(world, login):
    client = login(world.secretary)
    year = world.campaign.appraisal_year
    url = f"/appraisals/?branch={world.village.pk}&year={year}"
    response = client.post(
        url, {"branch": world.village.pk, "year": year, f"grade-{world.member.pk}": "excellent", f"grade-{world.probationary.pk}": "basic"}
    )
    assert response.status_code == 302
    assert dict(Appraisal.objects.filter(year=year).values_list("member_id", "grade")) == {
        world.member.pk: "excellent",
        world.probationary.pk: "basic",
    }
    assert AuditLog.objects.filter(action="appraisal.create").count() == 2
    client.post(url, {"branch": world.village.pk, "year": year, f"grade-{world.member.pk}": "excellent"})
    assert AuditLog.objects.filter(action__startswith="appraisal.").count() == 2  # unchanged grade: no new row


def test_invalid_grade_saves_nothing(world, login):
    year = world.campaign.appraisal_year
    response = login(world.secretary).post(
        "/appraisals/",
        {"branch": world.village.pk, "year": year, f"grade-{world.member.pk}": "excellent", f"grade-{world.probationary.pk}": "bogus"},
    )
    assert response.status_code == 200
    assert "评议等次无效" in response.content.decode()
    assert not Appraisal.objects.exists()


def test_other_branch_is_404_and_members_outside_are_ignored(world, login):
    client = login(world.secretary)
    assert client.get(f"/appraisals/?branch={world.village2.pk}").status_code == 404
    year = world.campaign.appraisal_year
    client.post("/appraisals/", {"branch": world.village.pk, "year": year, f"grade-{world.member2.pk}": "unqualified"})
    assert not Appraisal.objects.filter(member=world.member2).exists()


def test_roles_without_member_rights_are_refused(world, login):
    for user in (world.county_user, world.inspector, world.approver):
        assert login(user).get("/appraisals/").status_code == 403


def test_a_corrected_grade_keeps_its_note(world, login):
    from apps.orgs.actions import record_appraisal

    year = world.campaign.appraisal_year
    record_appraisal(world.office, world.member, year, "qualified", note="会上补评")
    login(world.secretary).post("/appraisals/", {"branch": world.village.pk, "year": year, f"grade-{world.member.pk}": "excellent"})
    appraisal = Appraisal.objects.get(member=world.member, year=year)
    assert (appraisal.grade, appraisal.note) == ("excellent", "会上补评")
    assert AuditLog.objects.filter(action="appraisal.update").get().changes == {"评议等次": ["合格", "优秀"]}


def test_the_actions_refuse_an_unknown_grade_and_members_out_of_scope(world):
    import pytest
    from django.core.exceptions import PermissionDenied

    from apps.core.actions import ActionError
    from apps.orgs.actions import record_appraisal, record_appraisals

    year = world.campaign.appraisal_year
    with pytest.raises(ActionError, match="评议等次无效"):
        record_appraisal(world.office, world.member, year, "superb")
    with pytest.raises(ActionError, match="评议等次无效"):
        record_appraisals(world.office, year, {world.member: "excellent", world.member2: "superb"})
    with pytest.raises(PermissionDenied):
        record_appraisals(world.secretary, year, {world.member: "excellent", world.member2: "excellent"})
    assert not Appraisal.objects.exists() and not AuditLog.objects.filter(action__startswith="appraisal.").exists()
