"""The commendation (SPEC §3 step 5): gated by the notice periods and the objections; numbered certificates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditLog
from apps.commendations.actions import certificate_number, commend, commend_blockers
from apps.commendations.models import Commendation
from apps.core import clock
from apps.core.actions import ActionError, Conflict
from apps.nominations.choices import NominationStatus
from apps.notices.actions import conclude_objection, create_notice, record_objection

from .build_notices import listed_nomination


def past() -> dt.date:
    return clock.today() - dt.timedelta(days=30)


@pytest.fixture
def listed(world):
    return [
        listed_nomination(world.campaign, world.member, post="村党支部书记"),
        listed_nomination(world.campaign, world.member2, post="村民小组长"),
        listed_nomination(world.campaign, world.organ_member, post="镇机关干部"),
    ]


def test_commendation_is_refused_while_a_notice_runs(world, listed):
    notice = create_notice(world.office, world.campaign, clock.today())
    blockers = commend_blockers(world.approver, world.campaign)
    assert any("仍在公示期内" in b and f"{notice.end:%Y年%m月%d日}" in b for b in blockers)
    with pytest.raises(ActionError):
        commend(world.approver, world.campaign, "东党发〔2026〕1号", clock.today())
    assert not Commendation.objects.exists()
    assert {n.status for n in world.campaign.nominations.all()} == {NominationStatus.LISTED}


def test_commendation_is_refused_while_an_objection_is_open(world, listed):
    notice = create_notice(world.office, world.campaign, past())
    objection = record_objection(world.office, notice, text="来信", received_on=notice.start, nomination_id=listed[0].pk)
    with pytest.raises(ActionError) as exc:
        commend(world.approver, world.campaign, "东党发〔2026〕1号", clock.today())
    assert any("尚未办结" in b and "张三" in b for b in exc.value.blockers)
    conclude_objection(world.office, objection, "upheld", "属实")
    decision = commend(world.approver, world.campaign, "东党发〔2026〕1号", clock.today())
    assert listed[0] not in decision.nominations.all()


def test_unposted_listed_nominations_block(world, listed):
    create_notice(world.office, world.campaign, past())
    listed_nomination(world.campaign, world.probationary)
    with pytest.raises(ActionError) as exc:
        commend(world.approver, world.campaign, "东党发〔2026〕1号", clock.today())
    assert any("尚未公示" in b and "李四" in b for b in exc.value.blockers)


def test_no_notice_blocks(world):
    with pytest.raises(ActionError) as exc:
        commend(world.approver, world.campaign, "东党发〔2026〕1号", clock.today())
    assert exc.value.blockers


def test_commendation_numbers_certificates_and_commends_the_listed(world, listed):
    notice = create_notice(world.office, world.campaign, past())
    objection = record_objection(world.office, notice, text="来信", received_on=notice.start, nomination_id=listed[1].pk)
    conclude_objection(world.office, objection, "upheld", "属实")
    decision = commend(world.approver, world.campaign, "东党发〔2026〕12号", clock.today())
    for n in listed:
        n.refresh_from_db()
    assert listed[1].status == NominationStatus.WITHDRAWN and listed[1].certificate_no == ""
    commended = sorted((n for n in listed if n.status == NominationStatus.COMMENDED), key=lambda n: n.certificate_no)
    year = world.campaign.year
    assert [n.certificate_no for n in commended] == [f"东岭镇-{year}-001", f"东岭镇-{year}-002"]
    assert set(decision.nominations.all()) == set(commended)
    assert AuditLog.objects.filter(action="commendation.create", town=world.town).count() == 1
    assert AuditLog.objects.filter(action="commendation.commend_nomination").count() == 2
    with pytest.raises(Conflict):
        commend(world.approver, world.campaign, "东党发〔2026〕13号", clock.today())


def test_certificate_number_scheme(world):
    assert certificate_number(world.campaign, 7) == f"东岭镇-{world.campaign.year}-007"


@pytest.mark.parametrize("role", ["office", "admin", "secretary", "county_user", "other_office"])
def test_only_the_approval_right_commends(world, listed, role):
    create_notice(world.office, world.campaign, past())
    with pytest.raises(PermissionDenied):
        commend(getattr(world, role), world.campaign, "东党发〔2026〕1号", clock.today())


def test_an_office_with_the_approval_right_commends(world, listed):
    create_notice(world.office, world.campaign, past())
    world.office.can_approve = True
    world.office.save()
    assert commend(world.office, world.campaign, "东党发〔2026〕1号", clock.today()).nominations.count() == 3


def test_bad_number_or_date_is_refused(world, listed):
    notice = create_notice(world.office, world.campaign, past())
    for number, date in (
        ("  ", clock.today()),
        ("东党发〔2026〕1号", clock.today() + dt.timedelta(days=1)),
        ("东党发〔2026〕1号", notice.end),
    ):
        with pytest.raises(ActionError):
            commend(world.approver, world.campaign, number, date)
    assert not Commendation.objects.exists()


def test_results_page_lists_the_commended_for_the_town_and_the_county(world, listed, login):
    create_notice(world.office, world.campaign, past())
    client = login(world.approver)
    page = client.get(f"/campaigns/{world.campaign.pk}/commendation/").content.decode()
    assert "作出表彰决定" in page
    response = client.post(
        f"/campaigns/{world.campaign.pk}/commendation/", {"doc_number": "东党发〔2026〕12号", "date": clock.today().isoformat()}
    )
    assert response.status_code == 302
    for user in (world.county_user, world.secretary, world.office):
        page = login(user).get(f"/campaigns/{world.campaign.pk}/commendation/").content.decode()
        assert "东党发〔2026〕12号" in page and "张三" in page and f"东岭镇-{world.campaign.year}-001" in page


def test_results_page_names_the_blockers(world, listed, login):
    create_notice(world.office, world.campaign, clock.today())
    page = login(world.approver).get(f"/campaigns/{world.campaign.pk}/commendation/").content.decode()
    assert "暂不能表彰" in page and "仍在公示期内" in page
    response = login(world.approver).post(
        f"/campaigns/{world.campaign.pk}/commendation/", {"doc_number": "东党发〔2026〕12号", "date": clock.today().isoformat()}
    )
    assert response.status_code == 422 and "仍在公示期内" in response.content.decode()
    assert not Commendation.objects.exists()


def test_home_task_when_commendation_is_due(world, listed, login):
    create_notice(world.office, world.campaign, past())
    assert "作出表彰决定（3 人）" in login(world.approver).get("/").content.decode()


def test_api_commendation(world, listed, api):
    notice = create_notice(world.office, world.campaign, clock.today())
    approver = api(world.approver)
    path = f"campaigns/{world.campaign.pk}/commendations"
    body = {"doc_number": "东党发〔2026〕12号", "date": clock.today().isoformat()}
    r = approver.post(path, body)
    assert r.status_code == 422 and any("公示期" in b for b in r.json()["blockers"])
    notice.start, notice.end = past(), past() + dt.timedelta(days=6)
    notice.save()
    r = approver.post(path, body)
    assert r.status_code == 201, r.content
    entries = r.json()["entries"]
    assert sorted(e["member_id"] for e in entries) == sorted(n.member_id for n in listed)
    assert len({e["certificate_no"] for e in entries}) == 3
    assert approver.post(path, body).status_code == 409
    assert api(world.office).post(path, body).status_code == 403
    assert api(world.other_office).post(path, body).status_code == 404
    assert approver.post(path, {"doc_number": "x"}).status_code == 400
