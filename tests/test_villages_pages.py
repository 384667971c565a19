"""示范村 pages: each step through the web UI, with the refusals shown on the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.core import clock
from apps.villages import actions
from apps.villages.choices import VillageStatus
from apps.villages.models import Evidence, Inspection, VillageCandidate

from .build_villages import finalized, grouped, image_bytes, inspection_data, roomy, second_inspector, upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _inspection_form(w, **extra):
    data = {
        "visit_dates": (clock.today() - dt.timedelta(days=1)).isoformat(),
        "people_met": "村党支部委员 3 人",
        "conclusion": "recommend",
        "signatures": "测试组长 2026-05-20",
        "report_text": "",
    }
    for order in range(1, 6):
        data[f"text_{order}"] = f"标准{order}落实"
        data[f"score_{order}"] = "17.5"
    return data | extra


def test_designation_page_shows_the_arithmetic_and_refuses_over_quota(world, login):
    client = login(world.office)
    url = reverse("villages:campaign_villages", args=[world.campaign.pk])
    page = client.get(url).content.decode()
    assert "村党组织 2 个 × 20% = 0.4，不超过 → 0 个" in page
    assert world.organ.name not in page  # only kind 村 is offered
    response = client.post(url, {"orgs": [world.village.pk]})
    assert response.status_code == 200 and "超出示范村名额" in response.content.decode()
    assert not VillageCandidate.objects.exists()
    roomy(world.campaign)
    response = client.post(url, {"orgs": [world.village.pk, world.village2.pk]})
    assert response.status_code == 302
    assert VillageCandidate.objects.filter(campaign=world.campaign).count() == 2


def test_group_then_inspection_then_finalize_through_pages(world, login):
    roomy(world.campaign)
    office = login(world.office)
    office.post(reverse("villages:campaign_villages", args=[world.campaign.pk]), {"orgs": [world.village.pk]})
    candidate = VillageCandidate.objects.get()
    response = office.post(
        reverse("villages:group_create", args=[world.campaign.pk]),
        {"name": "第一督查组", "leader": world.inspector.pk, "candidates": [candidate.pk]},
    )
    assert response.status_code == 302, response.content.decode()
    client = login(world.inspector)
    url = reverse("villages:inspection_edit", args=[candidate.pk])
    page = client.get(url).content.decode()
    assert "关于东岭村党支部创建共产党员示范村的考察报告" in page  # the generated text, to edit
    response = client.post(url, _inspection_form(world, score_1="25"))
    assert response.status_code == 200 and "score_1" in response.content.decode()
    response = client.post(url, _inspection_form(world, report_text="修改后的报告。"))
    assert response.status_code == 302
    assert Inspection.objects.get().report_text == "修改后的报告。"
    response = client.post(url, {**_inspection_form(world), "generate": "1"})
    assert Inspection.objects.get().report_text.startswith("关于东岭村党支部")
    response = client.post(reverse("villages:evidence_upload", args=[candidate.pk]), {"file": upload("现场.jpg", image_bytes(gps=True))})
    assert response.status_code == 302 and Evidence.objects.count() == 1
    response = client.post(
        reverse("villages:evidence_upload", args=[candidate.pk]), {"file": upload("x.jpg", b"MZ\x90\x00 not an image")}, follow=True
    )
    assert "文件类型不允许" in response.content.decode() and Evidence.objects.count() == 1
    client.post(reverse("villages:finalize", args=[candidate.pk]))
    assert VillageCandidate.objects.get().status == VillageStatus.FINALIZED
    page = client.get(url).content.decode()
    assert "考察报告已定稿" in page
    response = client.post(url, _inspection_form(world))
    assert "考察报告已定稿" in response.content.decode()
    assert Inspection.objects.get().conclusion == "recommend"


def test_evidence_download_only_for_those_who_see_the_village(world, login):
    candidate = grouped(world)
    login(world.inspector).post(
        reverse("villages:evidence_upload", args=[candidate.pk]), {"file": upload("a.png", image_bytes("PNG"), "image/png")}
    )
    evidence = Evidence.objects.get()
    url = reverse("villages:evidence_download", args=[evidence.pk])
    response = login(world.inspector).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert login(second_inspector(world)).get(url).status_code == 404
    assert login(world.county_user).get(url).status_code == 404  # not reported yet


def test_report_and_county_decision_with_plaque(world, login):
    candidate = finalized(world)
    county = login(world.county_user)
    page = county.get(reverse("villages:county_decision", args=[candidate.pk])).content.decode()
    assert "尚未报送" in page
    office = login(world.office)
    office.post(reverse("villages:village_report", args=[world.campaign.pk]))
    assert VillageCandidate.objects.get(pk=candidate.pk).status == VillageStatus.REPORTED
    county = login(world.county_user)
    url = reverse("villages:county_decision", args=[candidate.pk])
    today = clock.today().isoformat()
    response = county.post(url, {"approved": "1", "date": today, "note": "同意"})
    assert response.status_code == 302
    response = county.post(url, {"plaque_no": "SFC-9", "plaque_date": today})
    assert response.status_code == 302
    c = VillageCandidate.objects.get(pk=candidate.pk)
    assert (c.status, c.plaque_no) == (VillageStatus.APPROVED, "SFC-9")
    page = county.get(c.get_absolute_url()).content.decode()
    assert "牌匾编号 SFC-9" in page


def test_office_reopens_with_a_reason(world, login):
    candidate = finalized(world)
    office = login(world.office)
    response = office.post(reverse("villages:reopen", args=[candidate.pk]), {"reason": ""}, follow=True)
    assert "请写明退回修改的原因" in response.content.decode()
    office.post(reverse("villages:reopen", args=[candidate.pk]), {"reason": "签名不全"})
    assert VillageCandidate.objects.get(pk=candidate.pk).status == VillageStatus.INSPECTED


def test_home_page_tasks_follow_the_steps(world, login):
    candidate = grouped(world)
    page = login(world.inspector).get(reverse("home:index")).content.decode()
    assert "示范村考察（1 个村待定稿）" in page
    actions.save_inspection(world.inspector, candidate, inspection_data(world))
    actions.finalize_inspection(world.inspector, candidate)
    assert "报送县委组织部（1 个示范村）" in login(world.office).get(reverse("home:index")).content.decode()
    actions.report_villages(world.office, world.campaign)
    assert "审定示范村（1 个待审定）" in login(world.county_user).get(reverse("home:index")).content.decode()


def test_secretary_submits_a_self_assessment_the_town_sees_it(world, login):
    url = reverse("villages:self_assessment", args=[world.campaign.pk])
    client = login(world.secretary)
    response = client.post(url, {"text_1": "", "text_2": ""})
    assert response.status_code == 200 and "请至少对照一项标准填写自评" in response.content.decode()
    response = client.post(url, {"text_2": "党员志愿服务队每周活动"})
    assert response.status_code == 302
    page = login(world.office).get(reverse("villages:campaign_villages", args=[world.campaign.pk])).content.decode()
    assert "对照 1 项标准自评" in page and world.village.name in page


def test_report_paper_pdf_and_docx(world, login, api):
    import io as _io

    from docx import Document
    from pypdf import PdfReader

    candidate = finalized(world)
    client = login(world.office)
    pdf = client.get(reverse("papers:village_report", args=[candidate.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(_io.BytesIO(pdf.content)).pages).replace("\n", "")
    assert "关于东岭村党支部创建共产党员示范村的考察报告" in text and "合计 90" in text
    docx = api(world.inspector).get(f"village-candidates/{candidate.pk}/report.docx")
    assert docx.status_code == 200
    assert docx["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    body = "\n".join(p.text for p in Document(_io.BytesIO(docx.content)).paragraphs)
    assert "一、基本情况" in body and "建议命名为示范村" in body
    assert api(second_inspector(world)).get(f"village-candidates/{candidate.pk}/report.pdf").status_code == 404
