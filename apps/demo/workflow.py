"""The demo campaign in progress, made with the same action functions as the pages, so that a visitor
finds every step somewhere: 青山村党委 (the `secretary` account) has registered its meeting, taken the
attendance and put candidates forward, and can open the vote; 石桥村党支部 (`secretary2`) has voted and
submitted its proposal, which waits for the town's approval (`town_approver`); two more branches have
been approved, so the town office (`town_office`) can form the 参评名单 and post the 公示. Two villages are
designated as candidate 示范村 within the village quota and assigned to the `inspector` account's group.
In the neighbouring 白云镇 (`town_office2`) the 参评名单 is on public notice, with one objection received by phone to
look into: the public pages have a running 公示 to show."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from apps.accounts import actions as accounts
from apps.accounts.models import Role, User
from apps.campaigns.models import Campaign, Criterion, Target
from apps.meetings import actions as meetings
from apps.meetings.choices import Teller, VoteMethod
from apps.meetings.models import Meeting
from apps.nominations import actions as nominations
from apps.notices import actions as notices
from apps.notices.choices import Channel
from apps.orgs.choices import Category
from apps.orgs.models import Organization
from apps.villages import actions as villages

DEEDS = [
    "带头发展高山茶产业，组织 30 余户群众成立合作社，户均增收 8000 余元。",
    "扎根村卫生室二十年，常年为行动不便的老人上门送医送药。",
    "牵头整治村内河道和房前屋后环境，带领党员志愿服务队坚持每周巡河。",
    "在防汛抢险中连续值守 72 小时，组织转移群众 46 人，无一伤亡。",
    "带领村民修通产业路 3.2 公里，为村集体争取项目资金 120 万元。",
]
STATEMENTS = ["坚定理想信念，带头学习贯彻党的创新理论。", "立足岗位，业绩突出，群众认可。", "带头服务群众，为民办实事。"]


def _criteria(campaign: Campaign) -> list[dict]:
    orders = Criterion.objects.filter(campaign=campaign, target=Target.POST).order_by("order").values_list("order", flat=True)
    return [{"order": order, "text": STATEMENTS[i % len(STATEMENTS)]} for i, order in enumerate(orders[:3])]


def prepared_meeting(
    actor, campaign: Campaign, branch: Organization, date: dt.date, chair: str, method: str = VoteMethod.ELECTRONIC
) -> Meeting | None:
    """Register the meeting, take the attendance (all formal members but one present) and put forward
    one more eligible candidate than the quota allows. None when the branch is too small for a place."""
    meeting = meetings.create_meeting(
        actor,
        campaign,
        branch,
        {"date": date, "place": "党员活动室", "chair": chair, "recorder": "组织委员", "method": method},
    )
    people = list(meetings.roster(meeting))
    formal = [m for m in people if m.category == Category.FORMAL]
    absent = formal[-1:]
    present = [m.pk for m in people if m not in absent]
    meeting = meetings.take_attendance(actor, meeting, present, [(m.pk, "外出务工") for m in absent], [])
    if not meeting.quota_value:
        return None
    voters = set(formal[:-1])
    eligible = [m for m, e in meetings.roster_eligibility(meeting) if m in voters and e.eligible and not e.missing_appraisal]
    for i, member in enumerate(eligible[: meeting.quota_value + 1]):
        meetings.add_candidate(
            actor, meeting, member, post=member.post or "党员", deeds=DEEDS[i % len(DEEDS)], criteria=_criteria(campaign)
        )
    return meeting


def voted_meeting(actor, meeting: Meeting) -> Meeting:
    """Open the electronic vote, cast every code and close: the first candidates get three votes in four,
    the last one the rest, so the quota's worth of candidates pass with no tie."""
    rnd, codes = meetings.open_poll(actor, meeting)
    ids = list(rnd.candidates.order_by("pk").values_list("pk", flat=True))
    first, extra = ids[: rnd.max_choices], ids[rnd.max_choices :]
    for i, code in enumerate(codes):
        choices = list(first)
        if extra and i % 4 == 3:
            choices[-1] = extra[0]
        meetings.cast_ballot(code, choices)
    meetings.close_poll(actor, meeting)
    return meeting


def paper_voted_meeting(actor, meeting: Meeting) -> Meeting:
    """The paper ballot of round 1, entered by both tellers alike: every valid ballot chose the first
    candidates (as many as the quota), so they pass with no tie and the last candidate gets none."""
    rnd_size = meeting.quota_value or 0
    ids = list(meeting.candidates.order_by("pk").values_list("pk", flat=True))
    n = meeting.present_voters or 0
    votes = {cid: (n if i < rnd_size else 0) for i, cid in enumerate(ids)}
    entry = {"issued": n, "returned": n, "valid": n, "invalid": 0, "votes": votes}
    meetings.record_tally(actor, meeting, teller=Teller.COUNTER, teller_name="计票人", **entry)
    meetings.record_tally(actor, meeting, teller=Teller.SCRUTINEER, teller_name="监票人", **entry)
    return meeting


def drafted_proposal(actor, meeting: Meeting, date: dt.date, limit: int | None = None):
    """The 支委会's proposal of the meeting's recommended candidates (the first `limit` of them)."""
    return nominations.create_proposal(
        actor,
        meeting,
        {
            "committee_date": date,
            "committee_attendees": "支部书记、组织委员、宣传委员",
            "candidate_ids": meetings.recommended_ids(meeting)[:limit],
            "opinion": "经支部委员会研究，同意推荐上述同志为共产党员示范岗。",
            "publicity_start": date + dt.timedelta(days=1),
            "publicity_end": date + dt.timedelta(days=5),
        },
    )


def submitted_proposal(actor, meeting: Meeting, date: dt.date, limit: int | None = None):
    return nominations.submit_proposal(actor, drafted_proposal(actor, meeting, date, limit))


def load_progress(campaign: Campaign, branches: list[Organization], users: dict, today: dt.date) -> None:
    office, approver = users["town_office"], users["town_approver"]
    start = today - dt.timedelta(days=14)
    prepared_meeting(users["secretary"], campaign, branches[0], today, "陈春生")
    stone = prepared_meeting(users["secretary2"], campaign, branches[1], start, "黄秀兰")
    if stone is not None:
        submitted_proposal(users["secretary2"], voted_meeting(users["secretary2"], stone), start + dt.timedelta(days=2))
    approve_branches(lambda branch: office, approver, campaign, branches[2:], start)
    village_progress(campaign, users)


def approve_branches(
    actor_for: Callable[[Organization], User], approver, campaign: Campaign, branches: list[Organization], start: dt.date, count: int = 2
) -> int:
    """The first `count` branches with a place: met on `start`, voted, proposed and submitted by `actor_for(branch)`,
    approved by `approver` (who may not approve what they submitted). How many."""
    approved = 0
    for branch in branches:
        if approved == count:
            break
        actor = actor_for(branch)
        meeting = prepared_meeting(actor, campaign, branch, start, "支部书记")
        if meeting is None:
            continue
        proposal = submitted_proposal(actor, voted_meeting(actor, meeting), start + dt.timedelta(days=2))
        for nomination in proposal.nominations.all():
            nominations.decide_nomination(approver, nomination, "approve", "")
        approved += 1
    return approved


def village_progress(campaign: Campaign, users: dict) -> None:
    """Candidate 示范村 within the quota (at most two), assigned to the inspection group of `inspector`."""
    office, inspector = users["town_office"], users.get("inspector")
    quota = villages.village_quota(campaign).value
    orgs = list(
        Organization.objects.filter(path__startswith=campaign.town.path, is_active=True).villages().order_by("path")[: min(quota, 2)]
    )
    if not orgs or inspector is None or inspector.organization_id != campaign.town_id:
        return
    created = villages.designate_villages(office, campaign, orgs)
    group = {
        "name": "党建调研督查组",
        "leader_user_id": inspector.pk,
        "member_user_ids": [],
        "village_candidate_ids": [c.pk for c in created],
    }
    villages.form_group(office, campaign, group)


def notice_progress(campaign: Campaign, branches: list[Organization], office, today: dt.date) -> None:
    """Two branches' nominations submitted by their secretaries (accounts the town office creates, with a random
    password nobody is told: not demo logins), approved by the town office, which holds the approval right, and listed;
    on public notice since two days ago (not before the campaign's year), with an objection received by phone the day
    after the notice began, still open."""

    def secretary(branch: Organization) -> User:
        data = {
            "username": f"baiyun_secretary_{branch.pk}",
            "role": Role.BRANCH_SECRETARY,
            "organization": branch,
            "display_name": f"{branch.short_name or branch.name}支部书记",
        }
        return accounts.create_user(office, data, secrets.token_urlsafe(24))

    if not approve_branches(secretary, office, campaign, branches, today - dt.timedelta(days=14)):
        return
    nominations.form_county_list(office, campaign)
    notice = notices.create_notice(office, campaign, max(today - dt.timedelta(days=2), dt.date(campaign.year, 1, 1)))
    notices.record_objection(
        office,
        notice,
        text="反映该同志在村务公开工作中有不及时的情况，请核实。",
        received_on=min(notice.start + dt.timedelta(days=1), today),
        channel=Channel.PHONE,
        nomination_id=notice.nominations.order_by("pk").first().pk,
    )
