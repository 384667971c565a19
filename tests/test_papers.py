"""The official papers (issue 9): each rendered from the workflow's data as PDF and DOCX, read back — pages,
text, embedded CJK font, a non-blank first page, A4 and tables in Word — and the public ones scanned for
personal data."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from concurrent.futures import ProcessPoolExecutor

import pytest
import segno

from apps.commendations.models import Commendation
from apps.nominations.models import Nomination
from apps.papers import access, content
from apps.papers.document import Signature
from apps.papers.render import DOCX, PDF, render

from .build_papers import DEEDS, DOC_NUMBER, full_procedure
from .paper_checks import (
    assert_a4,
    assert_cjk_embedded,
    assert_not_blank,
    assert_private,
    docx,
    docx_text,
    east_asian_font,
    fonts,
    pdf,
)


@pytest.fixture
def proc(world):
    return full_procedure(world)


def cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def test_application_pdf_and_docx(world, login, proc):
    nomination = proc.nominations[0]
    m = world.member
    response = login(world.secretary).get(f"/papers/nominations/{nomination.pk}/application.pdf")
    assert response.status_code == 200 and response["Content-Type"] == PDF
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    reader, text = pdf(response.content)
    assert len(reader.pages) == 2  # the form, and its opinion boxes on the back
    for expected in (
        "2026年度共产党员示范岗申报表".replace("2026", str(world.campaign.year)),
        m.name,
        m.gender,
        "畲族",
        f"{m.birth_date.year}.{m.birth_date.month:02d}",
        "大学专科",
        "2005.07",
        "东岭村党支部委员",
        DEEDS.rstrip("。"),
        "具体表现第5条",
        "实到8名，得票7票",
        "经支委会研究，同意推荐上述同志。",
        "镇党委意见",
        "县委组织部意见",
        "（盖章）",
    ):
        assert expected in text, expected
    assert m.id_number not in text and m.phone not in text  # the form needs neither
    assert_cjk_embedded(reader)
    assert_not_blank(response.content)

    response = login(world.secretary).get(f"/papers/nominations/{nomination.pk}/application.docx")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    document = docx(response.content)
    assert_a4(document)
    section = document.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert east_asian_font(document) == "Noto Serif CJK SC"
    (table,) = document.tables
    criteria = len(content.criteria_statements(nomination))
    assert criteria == 5
    assert len(table.rows) == 5 + criteria + 1 + 3  # personal data, deeds, criteria, the vote, three opinions
    words = docx_text(document)
    for expected in (m.name, "畲族", "具体表现第5条", "得票7票", "县委组织部意见"):
        assert expected in words


def test_pdf_and_docx_come_from_the_same_content(world, proc):
    """Every text of the paper's data is in both files."""
    paper = content.application(proc.nominations[1])
    _, pdf_text = pdf(render(paper, "pdf"))
    words = docx_text(docx(render(paper, "docx")))
    for piece in paper.text().split("\n"):
        piece = "".join(piece.split())
        assert piece in words, piece
        assert all(chunk in pdf_text for chunk in piece.split("（盖章）")), piece


def test_minutes_hold_attendance_tally_and_result(world, api, proc):
    response = api(world.secretary).get(f"meetings/{proc.meeting.pk}/minutes.pdf")
    assert response.status_code == 200 and response["Content-Type"] == PDF
    reader, text = pdf(response.content)
    assert len(reader.pages) == 2
    for expected in (
        "东岭村党支部党员大会会议记录",
        cn(proc.meeting.date),
        "东岭村党群服务中心",
        "林主持",
        "陈记录",
        f"{proc.absent.name}（外出务工）",
        f"{proc.excused.name}（长期患病）",
        "李四",  # 预备党员: present without a vote
        "计票人：计票人周",
        "监票人：监票人吴",
        "发出选票8张，收回8张，其中有效票8张、无效票0张",
        f"推荐人选为：张三、{proc.second.member.name}",
    ):
        assert expected in text, expected
    assert_cjk_embedded(reader)
    assert_not_blank(response.content)

    response = api(world.secretary).get(f"meetings/{proc.meeting.pk}/minutes.docx")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    document = docx(response.content)
    assert_a4(document)
    head, results = document.tables
    assert len(head.rows) == 9
    assert len(results.rows) == 1 + 2
    assert [c.text for c in results.rows[1].cells] == ["1", "张三", "东岭村党支部委员", "7", "是", "推荐"]


def test_branch_recommendation_list(world, login, proc):
    response = login(world.secretary).get(f"/papers/proposals/{proc.proposal.pk}/recommendation-list.pdf")
    reader, text = pdf(response.content)
    assert len(reader.pages) == 1
    assert "推荐名单" in text and "张三" in text and proc.second.member.name in text and "7票" in text
    document = docx(login(world.secretary).get(f"/papers/proposals/{proc.proposal.pk}/recommendation-list.docx").content)
    assert_a4(document)
    assert len(document.tables[0].rows) == 1 + 2


def test_county_list(world, api, proc):
    response = api(world.county_user).get(f"campaigns/{world.campaign.pk}/county-list.pdf")
    assert response.status_code == 200
    reader, text = pdf(response.content)
    assert len(reader.pages) == 1
    assert "参评人员名单" in text and "共2名" in text and "张三" in text and "东岭村党支部" in text
    assert_cjk_embedded(reader)
    assert_not_blank(response.content)
    document = docx(api(world.county_user).get(f"campaigns/{world.campaign.pk}/county-list.docx").content)
    assert_a4(document)
    assert len(document.tables[0].rows) == 1 + 2


def test_public_notice_pdf_carries_the_list_period_and_a_qr_code_and_no_personal_data(world, client, api, proc):
    notice = proc.notice
    response = client.get(f"/public/notices/{notice.public_id}/notice.pdf")  # no login
    assert response.status_code == 200 and response["Content-Type"] == PDF
    reader, text = pdf(response.content)
    assert len(reader.pages) == 1
    for expected in (
        "拟表彰对象的公示",
        "张三",
        proc.second.member.name,
        "东岭村党支部委员",
        f"公示时间：{cn(notice.start)}至{cn(notice.end)}",
        "二维码",
        "中共东岭镇委员会",
    ):
        assert expected in text, expected
    assert_private(text, *(n.member for n in proc.nominations))
    assert_cjk_embedded(reader)
    assert_not_blank(response.content)
    # The API serves the same paper without a token.
    response = api(None).get(f"public/notices/{notice.public_id}/notice.pdf")
    assert response.status_code == 200 and response["Content-Type"] == PDF
    assert api(None).get("public/notices/nosuch/notice.pdf").status_code == 404


def test_notice_qr_code_points_at_the_public_page(world, proc):
    url = f"http://testserver/public/notices/{proc.notice.public_id}/"
    paper = access.public_notice(proc.notice.public_id, lambda n: f"http://testserver/public/notices/{n.public_id}/")
    (signature,) = [b for b in paper.blocks if isinstance(b, Signature)]
    expected = io.BytesIO()
    segno.make(url, error="m").save(expected, kind="svg", scale=8, border=2, xmldecl=False)
    assert signature.image.svg == expected.getvalue().decode()


def test_commendation_decision_with_its_number(world, api, proc):
    response = api(world.approver).get(f"campaigns/{world.campaign.pk}/commendation.pdf")
    assert response.status_code == 200
    reader, text = pdf(response.content)
    assert len(reader.pages) == 2  # the decision and its annex (the list)
    decided = Commendation.objects.get(campaign=world.campaign).date
    for expected in (DOC_NUMBER, "关于表彰", "的决定", "张三", cn(decided), "中共东岭镇委员会", f"东岭镇-{world.campaign.year}-001"):
        assert expected in text, expected
    assert_private(text, *(n.member for n in proc.nominations))
    assert_cjk_embedded(reader)
    assert_not_blank(response.content)
    document = docx(api(world.approver).get(f"campaigns/{world.campaign.pk}/commendation.docx").content)
    assert_a4(document)
    assert DOC_NUMBER in docx_text(document)
    assert len(document.tables[0].rows) == 1 + 2


def test_one_numbered_certificate_per_commended_nomination(world, login, proc):
    response = login(world.office).get(f"/papers/campaigns/{world.campaign.pk}/certificates.pdf")
    reader, text = pdf(response.content)
    commended = sorted(n.certificate_no for n in Nomination.objects.filter(campaign=world.campaign, status="commended"))
    assert len(commended) == 2 and len(reader.pages) == 2 + 1  # a certificate each, then the plaque texts
    for number in commended:
        assert text.count(number) == 2  # on the certificate and in the plaque list
    assert text.count("荣誉证书") == 2
    assert "共产党员示范岗牌匾文字" in text and text.count("共产党员示范岗中共东岭镇委员会") == 2
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert_not_blank(response.content)
    document = docx(login(world.office).get(f"/papers/campaigns/{world.campaign.pk}/certificates.docx").content)
    assert_a4(document, landscape=True)


def test_zip_of_every_application_of_a_branch_and_of_the_town(world, login, proc):
    from .build_notices import listed_nomination

    listed_nomination(world.campaign, world.member2)
    office = login(world.office)
    response = office.get(f"/papers/campaigns/{world.campaign.pk}/applications.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 3 and any("南坑村党支部-王五" in n for n in names)
    response = office.get(f"/papers/campaigns/{world.campaign.pk}/applications.zip?org={world.village.pk}")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert len(archive.namelist()) == 2 and all("东岭村党支部" in n for n in archive.namelist())
    reader, text = pdf(archive.read(archive.namelist()[0]))
    assert "申报表" in text
    secretary = login(world.secretary2)
    assert secretary.get(f"/papers/campaigns/{world.campaign.pk}/applications.zip?org={world.village.pk}").status_code == 404
    assert secretary.get(f"/papers/campaigns/{world.campaign.pk}/applications.zip?org=x").status_code == 404
    names = zipfile.ZipFile(io.BytesIO(secretary.get(f"/papers/campaigns/{world.campaign.pk}/applications.zip").content)).namelist()
    assert names == ["001-南坑村党支部-王五.pdf"]  # its own branch only


def test_an_unknown_format_is_404(world, login, proc):
    client = login(world.office)
    assert client.get(f"/papers/nominations/{proc.nominations[0].pk}/application.txt").status_code == 404
    assert client.get(f"/papers/notices/{proc.notice.pk}/notice.pdf").status_code == 200


def test_pages_offer_the_papers_where_the_workflow_shows_them(world, login, proc):
    campaign = world.campaign
    secretary = login(world.secretary)
    page = secretary.get(f"/meetings/{proc.meeting.pk}/").content.decode()
    assert f"/papers/meetings/{proc.meeting.pk}/minutes.pdf" in page and f"/papers/meetings/{proc.meeting.pk}/minutes.docx" in page
    page = secretary.get(f"/proposals/{proc.proposal.pk}/").content.decode()
    assert f"/papers/nominations/{proc.nominations[0].pk}/application.pdf" in page
    assert f"/papers/proposals/{proc.proposal.pk}/recommendation-list.docx" in page
    assert f"/papers/campaigns/{campaign.pk}/applications.zip?org={world.village.pk}" in page
    office = login(world.office)
    page = office.get(f"/campaigns/{campaign.pk}/nominations/").content.decode()
    assert f"/papers/campaigns/{campaign.pk}/applications.zip" in page
    assert f"/papers/campaigns/{campaign.pk}/county-list.pdf" in office.get(f"/campaigns/{campaign.pk}/county-list/").content.decode()
    assert f"/papers/notices/{proc.notice.pk}/notice.pdf" in office.get(f"/notices/{proc.notice.pk}/").content.decode()
    page = office.get(f"/campaigns/{campaign.pk}/commendation/").content.decode()
    assert f"/papers/campaigns/{campaign.pk}/commendation.pdf" in page and f"/papers/campaigns/{campaign.pk}/certificates.pdf" in page
    page = login(world.county_user).get(f"/campaigns/{campaign.pk}/commendation/").content.decode()
    assert "commendation.pdf" in page and "certificates.pdf" not in page  # the county reads; the town prints


def _licensed_font(directory, text: str) -> None:
    """A stand-in for an office's licensed 仿宋_GB2312: a subset of a free CJK font under that family name."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    font = TTCollection("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").fonts[2]  # Noto Sans CJK SC
    subsetter = subset.Subsetter()
    subsetter.populate(text=text + "0123456789.-—（）：，。、")
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "仿宋_GB2312"
        elif record.nameID == 6:
            record.string = "FangSong_GB2312"
    font.save(str(directory / "fangsong.otf"))
    (directory / "readme.txt").write_text("not a font")


def test_an_offices_licensed_fonts_are_preferred(world, settings, tmp_path, proc):
    from apps.papers.fonts import faces

    paper = content.application(proc.nominations[0])
    _licensed_font(tmp_path, paper.text())
    settings.PAPER_FONT_DIR = str(tmp_path)
    assert faces().body == "仿宋_GB2312" and faces().title == "Noto Serif CJK SC"  # no 小标宋 given: the free one
    reader, text = pdf(render(paper, "pdf"))
    assert "张三" in text
    embedded = fonts(reader)
    assert any(n.startswith("embedded:") and "Noto-Serif-CJK-SC-Bold" in n for n in embedded), embedded  # the title
    assert any(n.startswith("embedded:") and "Noto" not in n for n in embedded), embedded  # the body: the licensed face
    assert east_asian_font(docx(render(paper, "docx"))) == "仿宋_GB2312"


def test_a_large_batch_is_shared_among_worker_processes_with_the_same_result(world, settings, tmp_path, monkeypatch, proc):
    """The zip of a whole town renders on every core: the worker processes give, paper for paper and in order,
    what one process gives, with the office's licensed fonts even when only this process's setting names them."""
    from apps.papers import parallel

    from .build_notices import listed_nomination

    listed_nomination(world.campaign, world.member2)
    papers = [content.application(n) for n in access.batch_nominations(world.office, world.campaign.pk)[2]]
    _licensed_font(tmp_path, "".join(p.text() for p in papers))
    settings.PAPER_FONT_DIR = str(tmp_path)
    settings.PAPER_WORKERS = 1
    alone = parallel.render_pdfs(papers)
    settings.PAPER_WORKERS = 2
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    started = []
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", lambda *a, **k: started.append(a) or ProcessPoolExecutor(*a, **k))
    shared = parallel.render_pdfs(papers)
    assert started == [(2,)]  # two workers, one share each
    assert len(shared) == len(alone) == 3
    for one, other, paper in zip(alone, shared, papers, strict=True):
        (reader, text), (reader2, text2) = pdf(one), pdf(other)
        assert text == text2 and len(reader.pages) == len(reader2.pages) and paper.title.replace("\n", "") in text.replace("\n", "")
        assert any(n.startswith("embedded:") and "Noto" not in n for n in fonts(reader2))  # the licensed face


# Every public paper, in every format it comes in: (registry key, format) → its URL for the town office.
PUBLIC_PAPERS = {
    ("notice", "pdf"): lambda w, p: f"/papers/notices/{p.notice.pk}/notice.pdf",
    ("notice", "docx"): lambda w, p: f"/papers/notices/{p.notice.pk}/notice.docx",
    ("public_notice", "pdf"): lambda w, p: f"/public/notices/{p.notice.public_id}/notice.pdf",
    ("commendation", "pdf"): lambda w, p: f"/papers/campaigns/{w.campaign.pk}/commendation.pdf",
    ("commendation", "docx"): lambda w, p: f"/papers/campaigns/{w.campaign.pk}/commendation.docx",
}


def test_every_public_paper_is_scanned():
    from apps.papers.registry import REGISTRY

    public = {(kind.key, fmt) for kind in REGISTRY.values() if kind.public for fmt in kind.formats}
    assert public == set(PUBLIC_PAPERS)


@pytest.mark.parametrize("key", sorted(PUBLIC_PAPERS), ids=lambda k: f"{k[0]}.{k[1]}")
def test_public_papers_carry_no_id_number_phone_or_birth_date(world, login, proc, key):
    members = [n.member for n in proc.nominations]
    assert all(len(m.phone) == 11 and len(m.id_number) == 18 for m in members)  # there is something to leak
    response = login(world.office).get(PUBLIC_PAPERS[key](world, proc))
    assert response.status_code == 200
    text = pdf(response.content)[1] if key[1] == "pdf" else docx_text(docx(response.content))
    assert "张三" in text  # the scan reads the paper's text
    assert_private(text, *members)


def test_the_scan_would_catch_personal_data(world, proc):
    """The internal 参评名单 carries birth months (the county needs them): the same scan refuses it."""
    text = pdf(render(content.county_list(world.campaign, content.applications_queryset(Nomination.objects.all())), "pdf"))[1]
    with pytest.raises(AssertionError):
        assert_private(text, world.member)
    with pytest.raises(AssertionError):
        assert_private(f"联系电话{world.member.phone}")
    with pytest.raises(AssertionError):
        assert_private(f"身份证号{world.member.id_number}")


def test_village_inspection_report(world, api):
    from .build_villages import finalized

    candidate = finalized(world)
    response = api(world.inspector).get(f"village-candidates/{candidate.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == PDF
    reader, text = pdf(response.content)
    for expected in ("东岭村党支部", "考察报告", "一、基本情况", "落实较好", "合计", "村两委班子成员"):
        assert expected in text, expected
    assert_cjk_embedded(reader)
    assert_not_blank(response.content)
    document = docx(api(world.inspector).get(f"village-candidates/{candidate.pk}/report.docx").content)
    assert_a4(document)
    (table,) = document.tables
    assert len(table.rows) == 1 + 5 + 1  # header, the five standards, the total
    assert api(world.secretary2).get(f"village-candidates/{candidate.pk}/report.pdf").status_code == 404


def test_progress_bulletin_on_a_date(world, api, login):
    from .build_oversight import every_state

    every_state(world)
    day = world.campaign.deadline + dt.timedelta(days=3)  # after the deadline: the unsubmitted branches are overdue
    response = api(world.office).get(f"campaigns/{world.campaign.pk}/bulletin.pdf", date=day.isoformat())
    assert response.status_code == 200 and response["Content-Type"] == PDF
    reader, text = pdf(response.content)
    assert f"截至{cn(day)}" in text and "推进情况的通报" in text and "登记村党支部" in text and "逾期" in text
    assert_cjk_embedded(reader)
    response = login(world.office).get(f"/papers/campaigns/{world.campaign.pk}/bulletin.docx?date={day.isoformat()}")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert f"截至{cn(day)}" in docx_text(docx(response.content))
    assert api(world.office).get(f"campaigns/{world.campaign.pk}/bulletin.pdf", date="2026-02-30").status_code == 400


def test_village_and_oversight_pages_offer_their_papers(world, login):
    from .build_villages import inspected

    candidate = inspected(world)
    page = login(world.inspector).get(f"/village-candidates/{candidate.pk}/").content.decode()
    assert f"/papers/village-candidates/{candidate.pk}/report.pdf" in page
    page = login(world.office).get(f"/campaigns/{world.campaign.pk}/progress/").content.decode()
    assert f"/papers/campaigns/{world.campaign.pk}/bulletin.pdf" in page


def _pages_png(body: bytes) -> list[bytes]:
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "p.pdf").write_bytes(body)
        subprocess.run(["pdftoppm", "-r", "50", "-gray", "p.pdf", "page"], cwd=tmp, check=True)
        return [p.read_bytes() for p in sorted(Path(tmp).glob("page*.pgm"))]


def test_the_papers_own_user_agent_stylesheet_draws_every_paper_as_weasyprints_full_one(world, proc):
    """render_pdf draws with papers/ua.css instead of WeasyPrint's HTML5 stylesheet (a third less layout):
    every page of every kind of paper — with tables, line breaks, a QR code, a photo, A3 — is the same image."""
    from apps.publicity import poster

    from .build_publicity import published_story
    from .build_villages import plaqued

    village = plaqued(world)  # the honour roll: the procedure's commended posts and a 示范村
    story = published_story(world, body="<p>带领群众发展产业。</p><h2>小标题</h2><p>第二段。</p>")
    notice = proc.notice
    papers = [
        content.application(proc.nominations[0]),
        content.minutes(proc.meeting),
        content.branch_list(proc.proposal),
        content.county_list(world.campaign, content.applications_queryset(Nomination.objects.all())),
        content.notice(notice, "http://127.0.0.1/public/notices/x/"),
        content.commendation(proc.decision),
        content.certificates(proc.decision),
        content.village_report(village),
        poster.poster(world.town, "http://127.0.0.1/public/towns/1/", "a3"),
        poster.story_poster(story, "http://127.0.0.1/public/stories/1/"),
    ]
    for paper in papers:
        _assert_drawn_alike(paper)


def test_the_papers_own_user_agent_stylesheet_draws_the_bulletin_alike(world):
    from .build_oversight import every_state

    every_state(world)
    _assert_drawn_alike(content.bulletin(world.campaign, world.campaign.deadline + dt.timedelta(days=3)))


def _assert_drawn_alike(paper) -> None:
    from weasyprint import HTML

    from apps.papers import render_pdf as r

    full = HTML(string=r.html_of(paper)).render(stylesheets=[r.base_stylesheet(paper)], font_config=r._fonts())
    assert _pages_png(r.render_pdf(paper)) == _pages_png(full.write_pdf()), paper.title
