"""The meeting pages walked by a secretary, and the voter's public page: register → attendance → candidates
→ open (slips) → vote → progress (count only) → close → results; the paper tally page."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from apps.meetings.models import Ballot, Meeting

from . import build_meetings as b


def no_inline_code(html: str) -> None:
    assert 'style="' not in html and "onclick" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_secretary_walks_the_meeting(world, login):
    b.appraise(world, world.member)
    extra = b.formal_members(world, 9)  # 10 正式: quota 1
    c = login(world.secretary)
    detail = c.get(reverse("campaigns:campaign_detail", args=[world.campaign.pk])).content.decode()
    url = reverse("meetings:branch_meeting", args=[world.campaign.pk, world.village.pk])
    assert url in detail

    page = c.get(url)
    assert page.status_code == 200 and "召开支部党员大会" in page.content.decode()
    r = c.post(url, {"date": "2026-06-01", "place": "村部", "chair": "甲", "recorder": "乙", "method": "electronic"})
    m = Meeting.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("meetings:attendance", args=[m.pk])
    assert c.get(url)["Location"] == reverse("meetings:meeting_detail", args=[m.pk])

    att = reverse("meetings:attendance", args=[m.pk])
    html = c.get(att).content.decode()
    assert world.member.name in html and world.transferred.name not in html
    no_inline_code(html)
    data = {f"p_{x.pk}": "present" for x in extra} | {f"p_{world.member.pk}": "present", f"p_{world.probationary.pk}": "present"}
    data[f"p_{extra[0].pk}"] = "excused"
    r = c.post(att, data)
    assert "须填写原因" in r.content.decode()  # excused without a reason: refused, shown on the page
    data[f"r_{extra[0].pk}"] = "长期患病"
    assert c.post(att, data).status_code == 302
    m.refresh_from_db()
    assert (m.expected_voters, m.present_voters, m.quorate, m.quota_value) == (9, 9, True, 1)

    cand = reverse("meetings:candidates", args=[m.pk])
    html = c.get(cand).content.decode()
    assert "预备党员，本年度示范行动未允许预备党员参评" in html  # eligibility shown with the reason
    assert f'value="{world.probationary.pk}"' not in html  # not offered
    r = c.post(cand, {"member": world.probationary.pk, "deeds": "x"})
    assert r.status_code == 200 and not m.candidates.exists()
    for person in (world.member, extra[1]):
        r = c.post(cand, {"member": person.pk, "post": "村民小组长", "deeds": "带头整治人居环境", "crit_1": "带头学习"})
        assert r.status_code == 302, r.content.decode()[:2000]
    first = m.candidates.get(member=world.member)
    assert first.criteria[0]["text"] == "带头学习"

    open_url = reverse("meetings:poll_open", args=[m.pk])
    assert "将开启第 1 轮投票" in c.get(open_url).content.decode()
    slips = c.post(open_url)
    html = slips.content.decode()
    codes = re.findall(r'<span class="mono slip-code">([0-9A-Z-]+)</span>', html)
    assert slips.status_code == 200 and len(codes) == 9 and html.count("<svg") == 9 and slips["Cache-Control"] == "no-store"
    assert "http://testserver/vote/" in html  # the short URL typed next to the code
    no_inline_code(html)

    anon = Client()
    vote = reverse("meetings:vote")
    page = anon.get(vote, {"code": codes[0]}).content.decode()
    assert world.member.name in page and "最多可选 <b>1</b> 人" in page
    no_inline_code(page)
    done = anon.post(vote, {"code": codes[0], "choice": [first.pk], "cast": "1"})
    assert "投票成功" in done.content.decode()
    again = anon.post(vote, {"code": codes[0], "choice": [first.pk], "cast": "1"}).content.decode()
    assert "已使用" in again and Ballot.objects.count() == 1
    too_many = anon.post(vote, {"code": codes[1], "choice": [c.pk for c in m.candidates.all()], "cast": "1"}).content.decode()
    assert "最多可选 1 人" in too_many and Ballot.objects.count() == 1
    for code in codes[1:6]:
        anon.post(vote, {"code": code.lower().replace("-", ""), "choice": [first.pk], "cast": "1"})
    assert Ballot.objects.count() == 6

    poll = reverse("meetings:poll", args=[m.pk])
    html = c.get(poll).content.decode()
    assert "已投 6 / 共 9 张" in html and world.member.name not in html  # the count only: no candidate, no votes
    detail_html = c.get(reverse("meetings:meeting_detail", args=[m.pk])).content.decode()
    assert "投票结束前不显示任何得票" in detail_html and "6 票" not in detail_html

    r = c.post(reverse("meetings:poll_close", args=[m.pk]))
    assert r.status_code == 302
    html = c.get(reverse("meetings:meeting_detail", args=[m.pk])).content.decode()
    assert "已产生推荐人选" in html and "推荐</span>" in html
    assert list(Meeting.objects.get(pk=m.pk).recommended_candidates()) == [first]
    assert "投票码无效" in anon.get(vote, {"code": codes[7]}).content.decode()  # poll closed


def test_paper_tally_page(world, login):
    m, (a, c2) = b.ready_meeting(world, voters=10, candidates=2, method="paper")
    c = login(world.office)
    url = reverse("meetings:tally", args=[m.pk])
    html = c.get(url).content.decode()
    assert f"{a.member.name} 得票" in html
    entry = {"issued": 10, "returned": 10, "valid": 10, "invalid": 0, f"votes_{a.pk}": 8, f"votes_{c2.pk}": 2}
    assert c.post(url, {**entry, "teller": "counter"}).status_code == 302
    r = c.post(url, {**entry, "teller": "scrutineer", f"votes_{a.pk}": 7})
    assert "计票人与监票人的录入不一致" in r.content.decode()
    r = c.post(url, {**entry, "teller": "scrutineer", "returned": 11})
    assert "多于发出选票" in r.content.decode()
    assert c.post(url, {**entry, "teller": "scrutineer"}).status_code == 302
    assert Meeting.objects.get(pk=m.pk).status == "concluded"


def test_secretary_home_shows_the_meeting_step(world, login):
    html = login(world.secretary).get(reverse("home:index")).content.decode()
    assert "召开支部党员大会" in html
    assert reverse("meetings:branch_meeting", args=[world.campaign.pk, world.village.pk]) in html


def test_lost_slips_are_reissued_from_the_poll_page(world, login):
    m, cands = b.ready_meeting(world, voters=10, candidates=2)
    c = login(world.secretary)
    url = reverse("meetings:poll_open", args=[m.pk])
    first = re.findall(r'slip-code">([0-9A-Z-]+)<', c.post(url).content.decode())
    page = c.get(url).content.decode()
    assert "作废原投票码并重新生成" in page
    again = re.findall(r'slip-code">([0-9A-Z-]+)<', c.post(url, {"reissue": "1"}).content.decode())
    assert len(first) == len(again) == 10 and not set(first) & set(again)
    assert "投票码无效" in Client().get(reverse("meetings:vote"), {"code": first[0]}).content.decode()
    r = c.post(reverse("meetings:poll_close", args=[m.pk]), follow=True)
    assert "尚无人投票" in r.content.decode()


def test_town_office_home_counts_the_branch_meetings(world, login):
    m, cands = b.ready_meeting(world, voters=10, candidates=1)
    html = login(world.office).get(reverse("home:index")).content.decode()
    assert "支部党员大会：0 / 3 个基层党组织已产生推荐人选" in html and "已登记会议 1 个" in html


def test_meeting_edit_page_changes_the_method(world, login):
    m = b.meeting(world)
    c = login(world.secretary)
    url = reverse("meetings:meeting_edit", args=[m.pk])
    assert "村党群服务中心" in c.get(url).content.decode()
    r = c.post(url, {"date": str(m.date), "place": "村部", "chair": "甲", "recorder": "乙", "method": "paper"})
    assert r.status_code == 302
    assert Meeting.objects.get(pk=m.pk).method == "paper"
