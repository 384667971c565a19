"""This year's campaign in every town of a county-scale data set (`gen_county`), its branches spread over every
step of the 示范岗 procedure, candidate villages at every village step, supervision visits and the target
assessment's items. Everything is made by the house action functions (the same as the pages call), with the
demo's builders of apps/demo/workflow: the data, the audit trail and the frozen quota snapshots are what the
pages would have produced. The vote is a paper ballot entered by both tellers (two calls per branch instead of
one per voter); that keeps a county of 800 branches at a few minutes.

Each town gets a phase (town index mod 4) for the steps that are the town's as a whole:
0 — approved nominations wait for the 参评名单; 1 — the 公示 runs, with an open and a concluded objection,
and one more branch is listed after it; 2 — the 公示 has ended, an upheld objection withdrew a branch's only
nomination; 3 — commended. Every town also has branches at each earlier step (see `EARLY_STEPS`).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from apps.accounts.models import Role, User
from apps.campaigns.models import Campaign
from apps.commendations import actions as commendations
from apps.core import clock
from apps.meetings import actions as meetings
from apps.meetings.choices import VoteMethod
from apps.nominations import actions as nominations
from apps.nominations.choices import Decision
from apps.notices import actions as notices
from apps.notices.choices import Channel, Outcome
from apps.orgs.choices import OrgKind, OrgLevel
from apps.orgs.models import Organization
from apps.oversight import actions as oversight
from apps.oversight.models import AssessmentSource
from apps.villages import actions as villages
from apps.villages.choices import Conclusion

from .workflow import drafted_proposal, paper_voted_meeting, prepared_meeting, submitted_proposal, voted_meeting

# The steps every town has some branches at, in the order they are handed out (round-robin).
EARLY_STEPS = [
    "no_meeting",
    "meeting",
    "attendance",
    "candidates",
    "ballot_open",
    "tallied",
    "proposed",
    "submitted",
    "returned",
    "approved",
    "not_quorate",
]
PHASES = ["approved", "notice", "noticed", "commended"]
# Candidate villages' steps, the most advanced first (a town with a small quota gets the first ones).
VILLAGE_PLAN = ["approved", "not_approved", "reported", "finalized", "inspected", "designated"]


@dataclass
class TownActors:
    office: User
    approver: User
    inspector: User


@dataclass
class Tally:
    branches: dict[str, int] = field(default_factory=dict)
    villages: dict[str, int] = field(default_factory=dict)
    visits: int = 0

    def add(self, kind: str, step: str) -> None:
        counter = self.branches if kind == "branch" else self.villages
        counter[step] = counter.get(step, 0) + 1


def campaign_data(today: dt.date, town: Organization) -> dict:
    year = today.year
    return {
        "year": year,
        "title": "共产党员示范行动",
        "county_name": "云岭县",
        "post_quota_percent": Decimal("10"),
        "village_quota_percent": Decimal("60"),
        "rounding": "at_least_one",
        "admit_probationary": False,
        "deadline": max(dt.date(year, 12, 15), today + dt.timedelta(days=21)),
        "notice_days": 5,
        "notice_day_kind": "working",
        "appraisal_year": year - 1,
        "quorum_percent": Decimal("50"),
        "office_name": f"{town.short_name or town.name}党建办",
        "office_phone": "0795-0000000",
        "office_contact": "党建办",
    }


def make_actors(town: Organization, index: int, password_hash: str) -> TownActors:
    """A town office, an approver and an inspector for the town (invented accounts, one password hash)."""

    def user(kind: str, role: str) -> User:
        u = User(
            username=f"gc{index:03d}_{kind}",
            role=role,
            organization=town,
            display_name=f"{town.short_name}{kind}",
            password=password_hash,
        )
        u.save()
        return u

    return TownActors(user("office", Role.TOWN_OFFICE), user("approver", Role.TOWN_APPROVER), user("inspector", Role.INSPECTOR))


def _days(today: dt.date, n: int) -> dt.date:
    """n days before today, not before 1 January (the campaign's year)."""
    return max(today - dt.timedelta(days=n), dt.date(today.year, 1, 1))


class TownBuilder:
    def __init__(self, campaign: Campaign, actors: TownActors, reviewer: User, today: dt.date, rng: random.Random, tally: Tally):
        self.campaign, self.actors, self.reviewer = campaign, actors, reviewer
        self.today, self.rng, self.tally = today, rng, tally
        self.office = actors.office

    # --- one branch to a step ---------------------------------------------------------------------------------

    def meeting(self, branch: Organization, ago: int, method: str = VoteMethod.PAPER):
        return prepared_meeting(self.office, self.campaign, branch, _days(self.today, ago), branch.secretary_name or "支部书记", method)

    def registered(self, branch: Organization):
        """The branch's meeting registered today (paper ballot), nothing more."""
        details = {"date": self.today, "place": "党员活动室", "chair": "支部书记", "recorder": "组织委员", "method": VoteMethod.PAPER}
        return meetings.create_meeting(self.office, self.campaign, branch, details)

    def to_step(self, branch: Organization, step: str):
        """Walk one branch to `step`; returns the step it reached (a branch too small for a place stops at
        the attendance)."""
        if step == "no_meeting":
            return step
        if step == "meeting":
            self.registered(branch)
            return step
        if step == "not_quorate":
            meeting = self.registered(branch)
            people = list(meetings.roster(meeting))
            present = [m.pk for m in people[: max(len(people) // 4, 1)]]
            meetings.take_attendance(self.office, meeting, present, [(m.pk, "外出务工") for m in people if m.pk not in present], [])
            return step
        if step == "attendance":
            meeting = self.registered(branch)
            people = list(meetings.roster(meeting))
            meetings.take_attendance(self.office, meeting, [m.pk for m in people], [], [])
            return step
        if step == "ballot_open":
            meeting = self.meeting(branch, 2, VoteMethod.ELECTRONIC)
            if meeting is None:
                return "attendance"
            rnd, codes = meetings.open_poll(self.office, meeting)
            ids = list(rnd.candidates.order_by("pk").values_list("pk", flat=True))[: rnd.max_choices]
            for code in codes[: len(codes) // 3]:
                meetings.cast_ballot(code, ids)
            return step
        # One branch in ten votes electronically (one action per ballot), the others on paper.
        electronic = self.rng.random() < 0.1
        method = VoteMethod.ELECTRONIC if electronic else VoteMethod.PAPER
        meeting = self.meeting(branch, 40 if step in ("approved", "single", "submitted", "returned") else 10, method)
        if meeting is None:
            return "attendance"
        if step == "candidates":
            return step
        if electronic:
            voted_meeting(self.office, meeting)
        else:
            paper_voted_meeting(self.office, meeting)
        if step == "tallied":
            return step
        if step == "proposed":
            drafted_proposal(self.office, meeting, _days(self.today, 8))
            return step
        proposal = submitted_proposal(self.office, meeting, _days(self.today, 38), limit=1 if step == "single" else None)
        if step == "submitted":
            return step
        first = True
        for nomination in proposal.nominations.order_by("pk"):
            if step == "returned" and first:
                nominations.decide_nomination(self.actors.approver, nomination, Decision.RETURN, "主要事迹不够具体，请补充后重新报送。")
            else:
                nominations.decide_nomination(self.actors.approver, nomination, Decision.APPROVE, "")
            first = False
        return "approved" if step == "single" else step

    # --- the town as a whole ----------------------------------------------------------------------------------

    def build(self, branches: list[Organization], phase: str) -> None:
        today = self.today
        advanced = branches[:3] if len(branches) > len(EARLY_STEPS) + 3 else branches[:2]
        rest = branches[len(advanced) :]
        approved = []
        for i, branch in enumerate(advanced):
            reached = self.to_step(branch, "single" if i == 0 and phase == "noticed" else "approved")
            if reached == "approved":
                approved.append(branch)
            else:
                self.tally.add("branch", reached)
        if phase == "approved" or not approved:
            for _ in approved:
                self.tally.add("branch", "approved")
        else:
            nominations.form_county_list(self.office, self.campaign)
            start = _days(today, 1) if phase == "notice" else _days(today, 30)
            notice = notices.create_notice(self.office, self.campaign, start)
            noms = list(notice.nominations.order_by("org__path", "pk"))
            target = next(n for n in noms if n.org_id == approved[0].pk)
            received = min(notice.start + dt.timedelta(days=1), today)
            first = notices.record_objection(
                self.office,
                notice,
                text="反映该同志在村集体项目中工作作风简单粗暴。",
                received_on=received,
                channel=Channel.LETTER,
                nomination_id=target.pk,
            )
            notices.add_investigation_note(self.office, first, "已找本人及村民代表谈话核实。")
            if phase == "notice":
                second = notices.record_objection(
                    self.office, notice, text="反映该同志不常参加组织生活。", received_on=received, channel=Channel.PHONE
                )
                notices.conclude_objection(self.office, second, Outcome.DISMISSED, "经核实，该同志按时参加组织生活，反映不属实。")
            elif phase == "noticed":
                notices.conclude_objection(self.office, first, Outcome.UPHELD, "经核实，反映属实，撤销推荐。")
            else:
                notices.conclude_objection(self.office, first, Outcome.DISMISSED, "经核实，反映不属实，维持推荐。")
                commendations.commend(
                    self.actors.approver,
                    self.campaign,
                    f"{self.campaign.town.short_name}发〔{today.year}〕8号",
                    max(notice.end + dt.timedelta(days=1), _days(today, 3)),
                )
            step = {"notice": "notice", "noticed": "noticed", "commended": "commended"}[phase]
            for i, _ in enumerate(approved):
                self.tally.add("branch", "withdrawn" if phase == "noticed" and i == 0 else step)
        # The rest of the town's branches: each earlier step in turn; in a notice town one more is listed.
        # (The approved ones first: the 参评名单 is formed only when no nomination waits for a decision.)
        plan = [(branch, EARLY_STEPS[i % len(EARLY_STEPS)]) for i, branch in enumerate(rest)]
        for branch, step in sorted(plan, key=lambda p: p[1] != "approved"):
            reached = self.to_step(branch, step)
            if reached == "approved" and phase == "notice":
                nominations.form_county_list(self.office, self.campaign)
                reached = "listed"
            self.tally.add(
                "branch", {"candidates": "attendance", "ballot_open": "attendance", "not_quorate": "attendance"}.get(reached, reached)
            )
        self.visits(rest)
        self.villages()
        self.assessment(branches)

    def visits(self, branches: list[Organization]) -> None:
        """Three supervision visits: an item open, an item overdue, an item closed."""
        today = self.today
        for i, branch in enumerate(branches[:3]):
            visit_day = _days(today, 20 if i == 1 else 5)
            due = today + dt.timedelta(days=10) if i != 1 else _days(today, 3)
            if due < visit_day:
                due = visit_day
            visit = oversight.record_visit(
                self.office,
                self.campaign,
                branch,
                {
                    "date": visit_day,
                    "inspectors": "镇党建办 督查人员",
                    "findings": "党员大会会议记录不完整，候选人事迹材料不够具体。",
                    "items": [{"item": "补齐党员大会会议记录", "owner": branch.secretary_name or "支部书记", "due_on": due}],
                },
            )
            if i == 2:
                oversight.close_rectification(self.office, visit.items.get(), "已补齐会议记录并归档。", today)
            self.tally.visits += 1

    def villages(self) -> None:
        campaign, office, inspector = self.campaign, self.office, self.actors.inspector
        quota = villages.village_quota(campaign).value
        orgs = list(
            Organization.objects.filter(path__startswith=campaign.town.path, is_active=True, kind=OrgKind.VILLAGE)
            .exclude(level=OrgLevel.TOWN)
            .order_by("path")[: min(quota, len(VILLAGE_PLAN))]
        )
        if not orgs:
            return
        created = villages.designate_villages(office, campaign, orgs)
        villages.form_group(
            office,
            campaign,
            {
                "name": "党建调研督查组",
                "leader_user_id": inspector.pk,
                "member_user_ids": [],
                "village_candidate_ids": [c.pk for c in created],
            },
        )
        plan = list(zip(created, VILLAGE_PLAN, strict=False))
        criteria = list(villages.village_criteria(campaign))
        data = {
            "visit_dates": [_days(self.today, 6).isoformat()],
            "people_met": "村两委班子成员、党员代表 6 人",
            "findings": [{"criterion_order": c.order, "text": f"{c.title}落实较好", "score": 18} for c in criteria],
            "conclusion": Conclusion.RECOMMEND,
            "signatures": "督查组组长",
        }
        for candidate, step in plan:
            if step != "designated":
                villages.save_inspection(inspector, candidate, data)
        reported = [c for c, step in plan if step in ("approved", "not_approved", "reported")]
        for candidate in reported:
            villages.finalize_inspection(inspector, candidate)
        if reported:
            villages.report_villages(office, campaign)
        town = campaign.town.short_name or campaign.town.name
        # Dated the day the county decides: a long run may have reported the villages after midnight.
        decided = clock.today()
        for candidate, step in plan:
            if step == "approved":
                villages.decide_village(
                    self.reviewer, candidate, True, decided, "同意命名。", plaque_no=f"{town}-{campaign.year}-{candidate.pk}"
                )
            elif step == "not_approved":
                villages.decide_village(self.reviewer, candidate, False, decided, "暂不具备条件。")
            elif step == "finalized":
                villages.finalize_inspection(inspector, candidate)
            self.tally.add("village", step)

    def assessment(self, branches: list[Organization]) -> None:
        items = oversight.seed_assessment_items(self.office, self.campaign)
        manual = [item for item in items if item.source == AssessmentSource.MANUAL]
        for item in manual:
            for branch in branches[:5]:
                oversight.set_manual_score(self.office, item, branch, Decimal(self.rng.randrange(60, 101)))


def town_branches(town: Organization) -> list[Organization]:
    return list(
        Organization.objects.filter(
            parent=town, is_active=True, level__in=(OrgLevel.BRANCH, OrgLevel.GENERAL_BRANCH, OrgLevel.PARTY_COMMITTEE)
        ).order_by("sort_order", "pk")
    )
