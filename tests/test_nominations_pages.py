"""Pages of the proposal, submission, reopening, review and 参评名单: what each role sees and does, the
blockers in Chinese, the home-page tasks, and a review page whose queries don't grow with the branches."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.meetings.choices import Presence
from apps.meetings.models import Attendance
from apps.nominations import actions
from apps.nominations.choices import Decision, NominationStatus
from apps.nominations.models import Nomination, Proposal, Reopening

from . import factories as f
from .build_nominations import campaign_with, concluded_meeting, proposal_data, proposed, submitted


def _form(data: dict) -> dict:
    out = {}
    for k, v in data.items():
        out[k] = [str(i) for i in v] if isinstance(v, list) else (v.isoformat() if isinstance(v, dt.date) else v)
    return out


def _text(response) -> str:
    return response.content.decode()


def test_secretary_writes_and_submits_the_proposal(world, login):
    meeting = concluded_meeting(world.campaign, world.village, formal=25)
    client = login(world.secretary)
    page = _text(client.get(reverse("nominations:proposal_edit", args=[meeting.pk])))
    assert "正式党员 25 人 × 10% = 2.5，不超过 → 2 人" in page and "组织推选" in page and "下一步" in page
    ids = [c.pk for c in meeting.recommended_candidates()]
    r = client.post(reverse("nominations:proposal_edit", args=[meeting.pk]), _form(proposal_data(meeting, ids)))
    assert r.status_code == 200 and "超出名额" in _text(r) and "2.5" in _text(r)
    assert not Proposal.objects.exists()
    r = client.post(reverse("nominations:proposal_edit", args=[meeting.pk]), _form(proposal_data(meeting, ids[:2])))
    proposal = Proposal.objects.get()
    assert r.status_code == 302 and r["Location"] == proposal.get_absolute_url()
    page = _text(client.get(proposal.get_absolute_url()))
    assert "报送镇党委" in page and "剩" in page
    r = client.post(reverse("nominations:proposal_submit", args=[proposal.pk]), follow=True)
    assert "已报送镇党委" in _text(r)
    assert set(proposal.nominations.values_list("status", flat=True)) == {NominationStatus.SUBMITTED}
    assert "审批中" in _text(client.get(proposal.get_absolute_url()))


def test_after_the_deadline_the_page_says_why_and_the_reopening_lifts_it(world, login):
    campaign_with(world.campaign, deadline=timezone.localdate() - dt.timedelta(days=3))
    proposal = proposed(world.secretary, world.campaign, world.village)
    client = login(world.secretary)
    page = _text(client.get(proposal.get_absolute_url()))
    assert "暂不能报送镇党委" in page and "已过申报截止日期" in page and "已过 3 天" in page
    r = client.post(reverse("nominations:proposal_submit", args=[proposal.pk]), follow=True)
    assert "已过申报截止日期" in _text(r)
    assert not proposal.nominations.filter(status=NominationStatus.SUBMITTED).exists()

    office = login(world.office)
    until = timezone.localdate() + dt.timedelta(days=2)
    r = office.post(
        reverse("nominations:reopening_create", args=[world.campaign.pk]),
        {"org": world.village.pk, "until": until.isoformat(), "reason": "村书记住院"},
    )
    assert r.status_code == 302 and Reopening.objects.get().reason == "村书记住院"
    overview = _text(office.get(reverse("nominations:campaign_nominations", args=[world.campaign.pk])))
    assert "村书记住院" in overview
    client = login(world.secretary)
    assert "延期报送至" in _text(client.get(proposal.get_absolute_url()))
    client.post(reverse("nominations:proposal_submit", args=[proposal.pk]))
    assert proposal.nominations.filter(status=NominationStatus.SUBMITTED).count() == 3


def test_reopening_form_refuses_bad_input_in_chinese(world, login):
    office = login(world.office)
    r = office.post(
        reverse("nominations:reopening_create", args=[world.campaign.pk]), {"org": world.far_village.pk, "until": "x", "reason": ""}
    )
    assert r.status_code == 200 and "请填写原因" in _text(r) and "日期" in _text(r)
    assert not Reopening.objects.exists()


def test_review_page_shows_the_meeting_and_decides(world, login):
    proposal = submitted(world.secretary, world.campaign, world.village)
    Attendance.objects.create(meeting=proposal.meeting, member=world.member, presence=Presence.ABSENT, reason="外出务工")
    a, b, _ = proposal.nominations.order_by("pk")
    approver = login(world.approver)
    page = _text(approver.get(reverse("nominations:review", args=[world.campaign.pk])))
    meeting = proposal.meeting
    assert f"{meeting.expected_voters} / {meeting.present_voters} 人" in page
    assert a.candidate.deeds in page and a.member.name in page and "第 1 轮" in page and "待审批 3 名" in page
    assert "外出务工" in page  # the absent member's reason
    r = approver.post(reverse("nominations:nomination_decide", args=[a.pk]), {"decision": "approve", "reason": ""}, follow=True)
    assert "已审批：同意" in _text(r)
    r = approver.post(reverse("nominations:nomination_decide", args=[b.pk]), {"decision": "return", "reason": ""}, follow=True)
    assert "退回须写明理由" in _text(r)
    # A second reviewer who saw the old page gets the conflict message.
    second = f.user("approver2", "town_approver", world.town)
    r = login(second).post(reverse("nominations:nomination_decide", args=[a.pk]), {"decision": "return", "reason": "x"}, follow=True)
    assert "已由" in _text(r) and "您的审批未执行" in _text(r)
    a.refresh_from_db()
    assert a.status == NominationStatus.APPROVED and a.reviews.count() == 1


def test_the_submitter_sees_why_they_cannot_approve(world, login):
    world.office.can_approve = True
    world.office.save()
    proposal = submitted(world.office, world.campaign, world.village, recommended=1)
    page = _text(login(world.office).get(reverse("nominations:review", args=[world.campaign.pk])))
    assert "不能由本人审批" in page
    r = login(world.office).post(reverse("nominations:nomination_decide", args=[proposal.nominations.get().pk]), {"decision": "approve"})
    assert r.status_code == 403


def test_review_page_queries_do_not_grow_with_branches(world, login):
    client = login(world.approver)
    url = reverse("nominations:review", args=[world.campaign.pk])
    submitted(world.secretary, world.campaign, world.village)
    client.get(url)  # warm caches (session, content types)
    cache.clear()  # the page computed, not the rows kept from the last look (apps/audit/memo.py)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    submitted(world.secretary2, world.campaign, world.village2)
    for i in range(3):
        branch = f.org(f"新建村{i}党支部", world.town)
        submitted(world.office, world.campaign, branch)
    cache.clear()
    with CaptureQueriesContext(connection) as five:
        page = client.get(url)
    assert page.status_code == 200 and _text(page).count('class="nomination"') == 15
    assert len(five) == len(one), [q["sql"] for q in five.captured_queries]


def test_overview_filters_by_status_and_branch(world, login):
    p1 = submitted(world.secretary, world.campaign, world.village)
    proposed(world.secretary2, world.campaign, world.village2, recommended=1)
    actions.decide_nomination(world.approver, p1.nominations.first(), Decision.APPROVE)
    client = login(world.office)
    url = reverse("nominations:campaign_nominations", args=[world.campaign.pk])
    page = _text(client.get(url))
    assert page.count("badge-blue") >= 2 and "badge-green" in page  # submitted (blue), approved (green)
    approved = _text(client.get(url, {"status": "approved"}))
    name = p1.nominations.first().member.name
    assert name in approved and "南坑村候选1" not in approved.split("推荐对象</h2>")[1]
    only_village2 = _text(client.get(url, {"org": world.village2.pk})).split("推荐对象</h2>")[1]
    assert "南坑村候选1" in only_village2 and name not in only_village2
    # bad filters are ignored, not a 500
    assert client.get(url, {"status": "nope", "org": "x"}).status_code == 200
    # the branch rows show each branch's step
    assert "已报镇党委，审批中" in page and "支委会已确定推荐对象，尚未报送" in page


def test_secretary_sees_only_its_branch(world, login):
    submitted(world.secretary, world.campaign, world.village)
    submitted(world.secretary2, world.campaign, world.village2, recommended=1)
    page = _text(login(world.secretary2).get(reverse("nominations:campaign_nominations", args=[world.campaign.pk])))
    assert "南坑村候选1" in page and "东岭村候选1" not in page


def test_county_list_page(world, login):
    proposal = submitted(world.secretary, world.campaign, world.village)
    url = reverse("nominations:county_list", args=[world.campaign.pk])
    for n in proposal.nominations.all():
        actions.decide_nomination(world.approver, n, Decision.APPROVE)
    name = proposal.nominations.first().member.name
    assert name not in _text(login(world.county_user).get(url))
    office = login(world.office)
    assert "报送参评名单（3 名）" in _text(office.get(url))
    r = office.post(url, follow=True)
    assert "参评名单已报送县委组织部" in _text(r)
    page = _text(login(world.county_user).get(url))
    assert name in page and proposal.nominations.first().member.id_number not in page
    assert Nomination.objects.filter(status=NominationStatus.LISTED).count() == 3
    r = login(world.office).post(url, follow=True)
    assert "没有经镇党委审批同意" in _text(r)


def test_home_tasks_per_role(world, login):
    meeting = concluded_meeting(world.campaign, world.village)
    home = reverse("home:index")
    assert "召开支委会，确定示范岗推荐对象" in _text(login(world.secretary).get(home))
    proposal = actions.create_proposal(world.secretary, meeting, proposal_data(meeting))
    assert "报送镇党委：示范岗推荐对象" in _text(login(world.secretary).get(home))
    actions.submit_proposal(world.secretary, proposal)
    assert "3 名示范岗推荐对象待审批" in _text(login(world.approver).get(home))
    a, b, c = proposal.nominations.order_by("pk")
    actions.decide_nomination(world.approver, a, Decision.APPROVE)
    actions.decide_nomination(world.approver, b, Decision.APPROVE)
    actions.decide_nomination(world.approver, c, Decision.RETURN, "事迹不具体")
    page = _text(login(world.secretary).get(home))
    assert "镇党委退回 1 名推荐对象" in page and "事迹不具体" in page
    assert "报送参评名单：2 名已审批同意" in _text(login(world.office).get(home))


def test_office_is_told_of_late_branches(world, login):
    campaign_with(world.campaign, deadline=timezone.localdate() - dt.timedelta(days=1))
    proposed(world.secretary, world.campaign, world.village)
    concluded_meeting(world.campaign, world.village2)
    page = _text(login(world.office).get(reverse("home:index")))
    assert "2 个支部已过申报截止日期仍未报送" in page and world.village2.name in page
    actions.reopen_branch(world.office, world.campaign, world.village2, timezone.localdate(), "补报")
    assert "1 个支部已过申报截止日期仍未报送" in _text(login(world.office).get(reverse("home:index")))


def test_overview_queries_do_not_grow_with_branches(world, login):
    client = login(world.office)
    url = reverse("nominations:campaign_nominations", args=[world.campaign.pk])
    submitted(world.secretary, world.campaign, world.village)
    client.get(url)
    cache.clear()  # the page computed, not the rows kept from the last look (apps/audit/memo.py)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(4):
        proposed(world.office, world.campaign, f.org(f"新建村{i}党支部", world.town))
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)


def test_county_reviewers_read_every_towns_list(world, login):
    proposal = submitted(world.secretary, world.campaign, world.village, recommended=1)
    actions.decide_nomination(world.approver, proposal.nominations.get(), Decision.APPROVE)
    client = login(world.county_user)
    page = _text(client.get(reverse("nominations:nominations_current")))
    assert world.town.name in page and world.other_town.name in page
    assert reverse("nominations:county_list", args=[world.other_campaign.pk]) in page
    assert '<td class="num">1</td>' not in page
    actions.form_county_list(world.office, world.campaign)
    assert '<td class="num">1</td>' in _text(client.get(reverse("nominations:nominations_current")))


def test_secretary_corrects_a_returned_nomination_on_its_page(world, login):
    proposal = submitted(world.secretary, world.campaign, world.village, recommended=1)
    nomination = proposal.nominations.get()
    actions.decide_nomination(world.approver, nomination, Decision.RETURN, "事迹不具体")
    client = login(world.secretary)
    url = reverse("nominations:nomination_edit", args=[nomination.pk])
    assert url in _text(client.get(proposal.get_absolute_url()))
    page = _text(client.get(url))
    assert "事迹不具体" in page and "对照标准（1）" in page
    r = client.post(url, {"post": "村会计", "deeds": "", "crit_1": "x"})
    assert r.status_code == 200 and "请填写主要事迹" in _text(r)
    r = client.post(url, {"post": "村会计", "deeds": "带领群众修通产业路。", "crit_1": "政治坚定。"})
    assert r.status_code == 302
    nomination.candidate.refresh_from_db()
    assert nomination.candidate.deeds == "带领群众修通产业路。"
