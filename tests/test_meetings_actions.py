"""The meeting's action functions (apps/meetings/actions.py): roles, attendance and the frozen quota,
candidates, electronic rounds, paper tallies, results and run-off, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.audit.models import AuditLog
from apps.core import clock
from apps.core.actions import ActionError, Conflict
from apps.meetings import actions
from apps.meetings.choices import MeetingStatus, RoundStatus, Teller, VoteMethod
from apps.meetings.models import Ballot, BallotCode, Meeting
from apps.orgs.choices import Grade, MemberStatus
from apps.orgs.models import Member

from . import build_meetings as b


def test_secretary_and_office_create_others_refused(world):
    m = b.meeting(world)
    assert m.status == MeetingStatus.PREPARING and m.created_by == world.secretary
    assert AuditLog.objects.filter(action="meeting.create", target_id=str(m.pk)).exists()
    b.meeting(world, actor=world.office, org=world.village2)
    with pytest.raises(PermissionDenied):
        b.meeting(world, actor=world.approver, org=world.organ)
    with pytest.raises(Http404):
        b.meeting(world, actor=world.secretary2, org=world.organ)  # another branch: outside its scope
    with pytest.raises(Http404):
        b.meeting(world, actor=world.other_office, org=world.organ)


def test_one_live_meeting_per_branch_and_campaign(world):
    b.meeting(world)
    with pytest.raises(Conflict):
        b.meeting(world, actor=world.office)


def test_missing_meeting_fields_are_refused(world):
    with pytest.raises(ActionError) as e:
        actions.create_meeting(
            world.secretary, world.campaign, world.village, {"date": clock.today(), "place": " ", "chair": "", "recorder": "乙"}
        )
    assert set(e.value.message_dict) == {"place", "chair"}
    assert not Meeting.objects.exists()


def test_attendance_counts_and_quorum(world):
    extra = b.formal_members(world, 9)  # 10 正式 in 东岭村 with 张三; 李四 is 预备
    m = b.meeting(world)
    present = [world.member.pk, world.probationary.pk, *[x.pk for x in extra[:4]]]  # 5 正式 present + 1 预备
    m = actions.take_attendance(world.secretary, m, present, [(extra[4].pk, "外出务工")], [(extra[5].pk, "长期患病")])
    assert (m.expected_voters, m.present_voters) == (9, 5)  # 10 − 1 excused; 预备 attend without vote
    assert m.quorate  # 5 > 4.5
    absent_rows = m.attendance.filter(presence="absent")
    assert absent_rows.count() == 4 and absent_rows.get(member=extra[4]).reason == "外出务工"  # unlisted → absent
    assert not m.attendance.get(member=world.probationary).is_voter
    m = actions.take_attendance(world.secretary, m, present[:5], [], [(extra[5].pk, "长期患病")])  # 4 正式 present
    assert (m.expected_voters, m.present_voters, m.quorate) == (9, 4, False)


def test_quorum_boundary_uses_the_campaign_percent(world):
    extra = b.formal_members(world, 9)
    m = b.meeting(world)
    ids = [world.member.pk, *[x.pk for x in extra]]
    m = actions.take_attendance(world.secretary, m, ids[:5], [], [])
    assert (m.present_voters, m.expected_voters, m.quorate) == (5, 10, False)  # exactly half: not valid
    world.campaign.quorum_percent = 40
    world.campaign.save()
    m = actions.take_attendance(world.secretary, Meeting.objects.get(pk=m.pk), ids[:5], [], [])
    assert m.quorate


def test_attendance_refusals(world):
    m = b.meeting(world)
    with pytest.raises(ActionError) as e:
        actions.take_attendance(world.secretary, m, [world.member2.pk, world.transferred.pk], [], [(world.member.pk, "")])
    text = " ".join(e.value.messages)
    assert "不是东岭村党支部在册党员" in text and "须填写原因" in text
    with pytest.raises(ActionError):
        actions.take_attendance(world.secretary, m, [world.member.pk], [(world.member.pk, "x")], [])
    assert not m.attendance.exists() and Meeting.objects.get(pk=m.pk).attendance_taken_at is None


def test_quota_snapshot_frozen_after_roster_change(world):
    extra = b.formal_members(world, 29)  # 30 正式 → 10% = 3
    m = b.all_present(world, b.meeting(world))
    assert (m.quota_formal_members, m.quota_value) == (30, 3)
    assert m.quota_explain == "正式党员 30 人 × 10% = 3，不超过 → 3 人"
    b.formal_members(world, 21)  # 51 − 1 transferred = 50 now: live quota would be 5
    Member.objects.filter(pk=extra[0].pk).update(status=MemberStatus.TRANSFERRED)
    m = actions.take_attendance(world.secretary, Meeting.objects.get(pk=m.pk), [world.member.pk], [], [])
    m.refresh_from_db()
    assert (m.quota_formal_members, m.quota_value, str(m.quota_percent)) == (30, 3, "10.00")
    assert world.campaign.post_quota(Member.objects.filter(branch=world.village).formal().count()).value == 5


def test_quota_snapshot_follows_the_campaigns_at_least_one_setting(world):
    """SPEC §3: a campaign may give every branch at least 1 place; the snapshot takes the campaign's rule."""
    from apps.campaigns.models import Campaign

    Campaign.objects.filter(pk=world.campaign.pk).update(rounding="at_least_one")
    world.campaign.refresh_from_db()
    m = b.all_present(world, b.meeting(world))  # 1 正式 × 10% = 0.1 → floor 0, at least one → 1
    assert (m.quota_formal_members, m.quota_value, m.quota_rule) == (1, 1, "at_least_one")


def test_candidate_eligibility_reasons(world):
    m = b.meeting(world)
    b.appraise(world, world.member)
    c = b.candidate(world, m, world.member, criteria=[{"order": 1, "text": "带头学习"}])
    assert c.criteria[0]["title"] and c.criteria[0]["text"] == "带头学习"
    with pytest.raises(ActionError, match="已是本年度示范行动的候选人"):
        b.candidate(world, m, world.member)
    with pytest.raises(ActionError, match="预备党员"):
        b.candidate(world, m, world.probationary)
    with pytest.raises(ActionError, match="不在册"):
        b.candidate(world, m, world.transferred)
    with pytest.raises(ActionError, match="不是本支部党员"):
        b.candidate(world, m, world.member2)
    basic = b.formal_members(world, 1, grade=Grade.BASIC)[0]
    with pytest.raises(ActionError, match="基本合格"):
        b.candidate(world, m, basic)
    punished = b.formal_members(world, 1)[0]
    punished.sanction_start, punished.sanction_end = clock.today() - dt.timedelta(days=30), clock.today() + dt.timedelta(days=30)
    punished.save()
    with pytest.raises(ActionError, match="处分"):
        b.candidate(world, m, punished)
    unappraised = b.formal_members(world, 1, grade=None)[0]
    with pytest.raises(ActionError, match="须支部确认"):
        b.candidate(world, m, unappraised)
    c2 = b.candidate(world, m, unappraised, confirm_missing_appraisal=True)
    assert c2.missing_appraisal_confirmed and "已确认" in c2.warnings[0]
    with pytest.raises(ActionError, match="创建标准序号 99"):
        b.candidate(world, m, b.formal_members(world, 1)[0], criteria=[{"order": 99, "text": "x"}])
    assert m.candidates.count() == 2


def test_candidate_of_another_branch_meeting_is_refused(world):
    b.appraise(world, world.member2)
    m2 = b.meeting(world, actor=world.secretary2, org=world.village2)
    actions.add_candidate(world.secretary2, m2, world.member2, post="组长", deeds="事迹")
    m = b.meeting(world)
    with pytest.raises(ActionError, match="不是本支部党员"):
        b.candidate(world, m, world.member2)


def test_probationary_admitted_when_the_campaign_says_so(world):
    world.campaign.admit_probationary = True
    world.campaign.save()
    b.appraise(world, world.probationary)
    m = b.meeting(world)
    assert b.candidate(world, m, world.probationary).member == world.probationary


def test_poll_refused_when_not_quorate_or_no_candidates(world):
    extra = b.formal_members(world, 9)
    m = b.meeting(world)
    with pytest.raises(ActionError, match="尚未签到"):
        actions.open_poll(world.secretary, m)
    m = actions.take_attendance(world.secretary, m, [x.pk for x in extra[:5]], [], [])
    with pytest.raises(ActionError) as e:
        actions.open_poll(world.secretary, m)
    assert any("会议无效" in x for x in e.value.messages) and any("尚未确定候选人" in x for x in e.value.messages)
    assert not BallotCode.objects.exists()


def test_open_poll_issues_one_hashed_code_per_present_voter(world):
    m, cands = b.ready_meeting(world, voters=10, candidates=3)
    rnd, codes = actions.open_poll(world.secretary, m)
    assert rnd.number == 1 and rnd.max_choices == 1 and len(codes) == 10 == len(set(codes))
    digests = set(BallotCode.objects.values_list("digest", flat=True))
    assert all(c not in digests and actions.rules.code_digest(c) in digests for c in codes)
    assert Meeting.objects.get(pk=m.pk).status == MeetingStatus.VOTING
    with pytest.raises(Conflict):
        actions.open_poll(world.secretary, m)
    with pytest.raises(ActionError, match="投票已开始"):
        b.candidate(world, Meeting.objects.get(pk=m.pk), b.formal_members(world, 1)[0])


def test_ballot_rules(world):
    m, cands = b.ready_meeting(world, voters=20, candidates=3)  # quota 2
    rnd, codes = actions.open_poll(world.secretary, m)
    ballot = actions.cast_ballot(codes[0], [cands[0].pk, cands[1].pk])
    assert ballot.choices == sorted([cands[0].pk, cands[1].pk])
    assert {fld.name for fld in Ballot._meta.concrete_fields} == {"id", "round", "choices"}
    with pytest.raises(Conflict):
        actions.cast_ballot(codes[0], [])
    with pytest.raises(ActionError, match="最多可选 2 人"):
        actions.cast_ballot(codes[1], [c.pk for c in cands])
    with pytest.raises(ActionError, match="重复"):
        actions.cast_ballot(codes[1], [cands[0].pk, cands[0].pk])
    with pytest.raises(ActionError, match="不在本轮候选人"):
        actions.cast_ballot(codes[1], [999999])
    with pytest.raises(Http404):
        actions.cast_ballot("AAAAA-AAAAA-AAAAA-AAAAA-AAAAAA", [])
    actions.cast_ballot(codes[1].lower(), [])  # blank ballot, code typed in lower case
    assert Ballot.objects.count() == 2 and BallotCode.objects.filter(used=True).count() == 2
    log = AuditLog.objects.filter(action="meeting.ballot_cast")
    assert log.count() == 2 and all(r.actor_id is None and r.ip is None and r.actor_label == "匿名投票人" for r in log)
    actions.close_poll(world.secretary, m)
    with pytest.raises(Http404):
        actions.cast_ballot(codes[2], [])


def vote(codes, *choice_lists):
    for code, choices in zip(codes, choice_lists, strict=False):
        actions.cast_ballot(code, choices)


def test_close_counts_and_threshold(world):
    m, (a, c2, c3) = b.ready_meeting(world, voters=20, candidates=3)  # 20 present, quota 2; pass needs > 10
    rnd, codes = actions.open_poll(world.secretary, m)
    vote(codes, *([[a.pk, c2.pk]] * 10 + [[a.pk, c3.pk]] * 2 + [[c3.pk]] * 3))
    report = actions.close_poll(world.secretary, m)
    # a: 12 (passed), c2: 10 (not > 10), c3: 5
    assert report.outcome.passed == [a.pk] and report.outcome.recommended == [a.pk] and report.outcome.tie == []
    rnd.refresh_from_db()
    assert (rnd.status, rnd.issued, rnd.used, rnd.valid) == (RoundStatus.CLOSED, 20, 15, 15)
    assert dict(rnd.results.values_list("candidate_id", "votes")) == {a.pk: 12, c2.pk: 10, c3.pk: 5}
    m.refresh_from_db()
    assert m.status == MeetingStatus.CONCLUDED and list(m.recommended_candidates()) == [a]
    with pytest.raises(Conflict):
        actions.close_poll(world.secretary, m)
    with pytest.raises(ActionError, match="已产生推荐人选"):
        actions.open_poll(world.secretary, m)


def test_tie_opens_a_run_off_for_the_places_left(world):
    m, (a, c2, c3) = b.ready_meeting(world, voters=20, candidates=3)  # quota 2
    rnd, codes = actions.open_poll(world.secretary, m)
    vote(codes, *([[a.pk, c2.pk]] * 6 + [[a.pk, c3.pk]] * 6 + [[c2.pk, c3.pk]] * 8))
    report = actions.close_poll(world.secretary, m)  # a 12, c2 14, c3 14 → c2, c3 above; a out
    assert report.outcome.recommended == [c2.pk, c3.pk] and report.outcome.tie == []
    m2 = Meeting.objects.get(pk=m.pk)
    assert m2.status == MeetingStatus.CONCLUDED


def test_tie_across_the_line_then_run_off(world):
    m, (a, c2, c3) = b.ready_meeting(world, voters=20, candidates=3)  # quota 2
    rnd, codes = actions.open_poll(world.secretary, m)
    vote(codes, *([[a.pk, c2.pk]] * 6 + [[a.pk, c3.pk]] * 6 + [[a.pk]] * 3 + [[c2.pk, c3.pk]] * 5))
    report = actions.close_poll(world.secretary, m)  # a 15, c2 11, c3 11 → a; tie c2, c3 for 1 place
    assert report.outcome.recommended == [a.pk] and report.outcome.tie == [c2.pk, c3.pk]
    m = Meeting.objects.get(pk=m.pk)
    assert m.status == MeetingStatus.VOTING and actions.places_left(m) == 1
    run_off, codes2 = actions.open_poll(world.secretary, m)
    assert run_off.number == 2 and run_off.max_choices == 1
    assert set(run_off.candidates.values_list("pk", flat=True)) == {c2.pk, c3.pk}
    with pytest.raises(ActionError, match="不在本轮候选人"):
        actions.cast_ballot(codes2[0], [a.pk])
    with pytest.raises(Http404):
        actions.cast_ballot(codes[19], [])  # a code of the closed round
    vote(codes2, *([[c3.pk]] * 12 + [[c2.pk]] * 8))
    actions.close_poll(world.secretary, m)
    m = Meeting.objects.get(pk=m.pk)
    assert m.status == MeetingStatus.CONCLUDED
    assert sorted(m.recommended_candidates().values_list("pk", flat=True)) == sorted([a.pk, c3.pk])


def paper(world, m, teller, **kw):
    data = {"issued": 10, "returned": 10, "valid": 9, "invalid": 1, "votes": {}} | kw
    return actions.record_tally(world.secretary, m, teller=teller, **data)


def test_paper_tally_two_tellers_must_agree(world):
    m, (a, c2) = b.ready_meeting(world, voters=10, candidates=2, method=VoteMethod.PAPER)  # quota 1
    with pytest.raises(ActionError, match="纸质选票"):
        actions.open_poll(world.secretary, m)
    tally, report = paper(world, m, Teller.COUNTER, votes={a.pk: 7, c2.pk: 2})
    assert report is None and m.rounds.get().status == RoundStatus.OPEN
    tally, report = paper(world, m, Teller.COUNTER, votes={a.pk: 6, c2.pk: 3})  # replaces its own entry
    assert m.rounds.get().tallies.count() == 1
    with pytest.raises(Conflict) as e:
        paper(world, m, Teller.SCRUTINEER, votes={a.pk: 6, c2.pk: 2})
    assert "得票（计票人 3，监票人 2）" in e.value.messages[0]
    assert m.rounds.get().tallies.count() == 1  # the refused entry changed nothing
    tally, report = paper(world, m, Teller.SCRUTINEER, votes={a.pk: 6, str(c2.pk): 3})
    assert report.outcome.recommended == [a.pk]
    rnd = m.rounds.get()
    assert (rnd.status, rnd.issued, rnd.used, rnd.valid, rnd.invalid) == (RoundStatus.CLOSED, 10, 10, 9, 1)
    assert Meeting.objects.get(pk=m.pk).status == MeetingStatus.CONCLUDED


def test_paper_tally_inconsistent_numbers_are_refused(world):
    m, (a, c2) = b.ready_meeting(world, voters=10, candidates=2, method=VoteMethod.PAPER)
    with pytest.raises(ActionError) as e:
        paper(world, m, Teller.COUNTER, issued=11, returned=10, votes={a.pk: 10})
    assert any("多于实到有表决权党员 10 人" in x for x in e.value.messages)
    assert any("多于有效票 9 张" in x for x in e.value.messages)
    with pytest.raises(ActionError, match="每票最多 1 人"):
        paper(world, m, Teller.COUNTER, votes={a.pk: 5, c2.pk: 5})
    assert not m.rounds.exists()  # the refused first entry didn't open the round


def test_roles_on_meeting_actions(world):
    m, cands = b.ready_meeting(world, voters=10, candidates=1)
    with pytest.raises(PermissionDenied):
        actions.open_poll(world.approver, m)
    with pytest.raises(Http404):
        actions.open_poll(world.secretary2, m)
    with pytest.raises(Http404):
        actions.open_poll(world.other_office, m)
    rnd, codes = actions.open_poll(world.office, m)
    assert len(codes) == 10


def test_the_ballot_sql_names_the_real_tables():
    from apps.campaigns.models import Campaign
    from apps.meetings.models import PollRound
    from apps.orgs.models import Organization

    tables = {
        BallotCode._meta.db_table,
        PollRound._meta.db_table,
        Meeting._meta.db_table,
        Campaign._meta.db_table,
        Organization._meta.db_table,
        PollRound.candidates.through._meta.db_table,
    }
    sql = " ".join([actions._CODE_SQL, actions._ROUND_SQL, actions._CANDIDATES_SQL, actions._SPEND_SQL])
    assert all(f" {t} " in f" {sql} " for t in tables), tables


def test_a_poll_nobody_voted_in_does_not_close_and_codes_can_be_reissued(world):
    m, cands = b.ready_meeting(world, voters=10, candidates=2)
    rnd, codes = actions.open_poll(world.secretary, m)
    with pytest.raises(ActionError, match="尚无人投票"):
        actions.close_poll(world.secretary, m)
    rnd2, fresh = actions.reissue_codes(world.office, m)
    assert rnd2.pk == rnd.pk and len(fresh) == 10 and not set(fresh) & set(codes)
    assert BallotCode.objects.filter(round=rnd).count() == 10
    with pytest.raises(Http404):
        actions.cast_ballot(codes[0], [])  # the lost slips no longer work
    actions.cast_ballot(fresh[0], [cands[0].pk])
    with pytest.raises(ActionError, match="已有党员投票"):
        actions.reissue_codes(world.secretary, m)
    assert AuditLog.objects.filter(action="meeting.codes_reissue").count() == 1
    assert actions.close_poll(world.secretary, m).round.used == 1


def test_meeting_details_and_method_can_be_corrected_until_the_vote(world):
    m = b.meeting(world)
    data = {"date": m.date, "place": "新会场", "chair": m.chair, "recorder": m.recorder, "method": VoteMethod.PAPER}
    m = actions.update_meeting(world.office, m, data)
    assert (m.place, m.method) == ("新会场", VoteMethod.PAPER)
    assert AuditLog.objects.get(action="meeting.update").changes["会议地点"] == ["村党群服务中心", "新会场"]
    with pytest.raises(ActionError, match="请填写主持人"):
        actions.update_meeting(world.secretary, m, data | {"chair": ""})
    with pytest.raises(PermissionDenied):
        actions.update_meeting(world.approver, m, data)


def test_meeting_is_not_edited_after_the_vote_started(world):
    m, cands = b.ready_meeting(world, voters=10, candidates=1)
    actions.open_poll(world.secretary, m)
    data = {"date": m.date, "place": "x", "chair": "x", "recorder": "x", "method": VoteMethod.PAPER}
    with pytest.raises(ActionError, match="投票已开始"):
        actions.update_meeting(world.secretary, m, data)


def test_roster_eligibility_reads_a_fixed_number_of_queries(world):
    """The candidates page lists every member with its eligibility: no query per member."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    m = Meeting.objects.select_related("campaign").get(pk=b.meeting(world).pk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = actions.roster_eligibility(m)
        return len(ctx.captured_queries), rows

    queries()  # warm what Django caches per process
    few, _ = queries()
    b.formal_members(world, 40)
    many, rows = queries()
    assert many == few, f"{few} queries for a few members, {many} with 40 more"
    assert len(rows) >= 40
    assert [e.blockers for member, e in rows if member == world.member] == [actions.eligibility(m, world.member).blockers]
