"""Builders for the paper tests: the whole 示范岗 procedure of 东岭村 through the real actions — a paper-ballot
meeting with attendance (absent and excused members), two tellers, candidates with criteria statements,
the proposal, submission, approval, the 参评名单, the 公示 and the commendation decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from apps.campaigns.models import Criterion, Target
from apps.commendations.actions import commend
from apps.core import clock
from apps.meetings import actions as meetings
from apps.meetings.choices import VoteMethod
from apps.nominations import actions as nominations
from apps.nominations.choices import Decision
from apps.notices.actions import create_notice
from apps.orgs.choices import Education

from .build_meetings import appraise, formal_members
from .build_nominations import campaign_with, proposal_data

DOC_NUMBER = "东党发〔2026〕7号"
DEEDS = "带头发展油茶产业，组织成立合作社，带动二十三户群众增收。"


def criteria(campaign):
    titles = ["政治坚定", "业务精通", "服务优良", "作风过硬", "群众公认"]
    if not campaign.criteria.filter(target=Target.POST).exists():
        for i, title in enumerate(titles, start=1):
            Criterion.objects.create(campaign=campaign, target=Target.POST, order=i, title=title, text=f"{title}的要求。")
    return list(campaign.criteria.filter(target=Target.POST).order_by("order"))


def concluded_paper_meeting(w):
    """东岭村's paper-ballot meeting: 10 正式党员 (张三 and nine more), one absent, one excused, 李四 (预备)
    present without a vote; candidates 张三 and one more; both tellers agree; quota 30% of 9 = 2."""
    campaign_with(w.campaign, post_quota_percent=Decimal("30"))
    crits = criteria(w.campaign)
    appraise(w, w.member)
    w.member.education = Education.COLLEGE
    w.member.ethnicity = "畲族"
    w.member.save()
    extra = formal_members(w, 9)
    meeting = meetings.create_meeting(
        w.secretary,
        w.campaign,
        w.village,
        {
            "date": clock.today() - dt.timedelta(days=12),
            "place": "东岭村党群服务中心",
            "chair": "林主持",
            "recorder": "陈记录",
            "method": VoteMethod.PAPER,
        },
    )
    absent, excused = extra[-1], extra[-2]
    present = [m.pk for m in meetings.roster(meeting) if m.pk not in (absent.pk, excused.pk)]
    meeting = meetings.take_attendance(w.secretary, meeting, present, [(absent.pk, "外出务工")], [(excused.pk, "长期患病")])
    first = meetings.add_candidate(
        w.secretary,
        meeting,
        w.member,
        post="东岭村党支部委员",
        deeds=DEEDS,
        criteria=[{"order": c.order, "text": f"对照{c.title}：具体表现第{c.order}条。"} for c in crits],
    )
    second = meetings.add_candidate(w.secretary, meeting, extra[0], post="村民小组长", deeds="带头参与人居环境整治。")
    votes = {first.pk: 7, second.pk: 6}
    for teller, name in (("counter", "计票人周"), ("scrutineer", "监票人吴")):
        meetings.record_tally(w.secretary, meeting, teller=teller, issued=8, returned=8, valid=8, invalid=0, votes=votes, teller_name=name)
    meeting.refresh_from_db()
    return meeting, first, second, absent, excused


def full_procedure(w, *, commended: bool = True) -> SimpleNamespace:
    meeting, first, second, absent, excused = concluded_paper_meeting(w)
    proposal = nominations.create_proposal(w.secretary, meeting, proposal_data(meeting, opinion="经支委会研究，同意推荐上述同志。"))
    nominations.submit_proposal(w.secretary, proposal)
    noms = list(proposal.nominations.order_by("pk"))
    for n in noms:
        nominations.decide_nomination(w.approver, n, Decision.APPROVE)
    nominations.form_county_list(w.office, w.campaign)
    out = SimpleNamespace(meeting=meeting, first=first, second=second, absent=absent, excused=excused, proposal=proposal)
    out.nominations = [type(n).objects.get(pk=n.pk) for n in noms]
    start = clock.today() - dt.timedelta(days=20) if commended else clock.today()
    if start.year < w.campaign.year:
        start = dt.date(w.campaign.year, 1, 2)
    out.notice = create_notice(w.office, w.campaign, start)
    if commended:
        out.decision = commend(w.approver, w.campaign, DOC_NUMBER, clock.today())
        out.nominations = [type(n).objects.get(pk=n.pk) for n in noms]
    return out


# --- cheap objects for the scope matrices (made with the ORM; the procedure has its own tests) -----------------


def listed(w, member=None, **kw):
    """A nomination of 张三 (東岭村) on the 参评名单."""
    from .build_notices import listed_nomination

    return listed_nomination(w.campaign, member or w.member, **kw)


def unlisted(w):
    """A submitted nomination of 张三, not yet on the 参评名单 (the county does not see it)."""
    from apps.nominations.choices import NominationStatus

    return listed(w, status=NominationStatus.SUBMITTED)


def decided(w, campaign=None, member=None):
    """A commendation decision of the campaign with one commended nomination, certificate numbered."""
    from apps.commendations.models import Commendation
    from apps.nominations.choices import NominationStatus

    from .build_notices import listed_nomination

    campaign = campaign or w.campaign
    nomination = listed_nomination(campaign, member or w.member)
    nomination.status, nomination.certificate_no = NominationStatus.COMMENDED, f"{campaign.town.name[2:4]}镇-{campaign.year}-001"
    nomination.save()
    decision = Commendation.objects.create(campaign=campaign, doc_number=DOC_NUMBER, date=clock.today())
    decision.nominations.add(nomination)
    return decision


def posted_notice(w):
    from apps.notices.models import Notice

    nomination = listed(w)
    notice = Notice.objects.create(
        campaign=w.campaign,
        public_id="papersnotice0001",
        title=f"{w.town.name}关于{w.campaign.year}年度共产党员示范岗拟表彰对象的公示",
        start=clock.today(),
        end=clock.today() + dt.timedelta(days=6),
        days=5,
        day_kind="working",
    )
    notice.nominations.add(nomination)
    return notice
