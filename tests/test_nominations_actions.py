"""The rules of the branch proposal, submission, reopening, town review and 参评名单 (SPEC §3, procedure 2–3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditLog
from apps.core import clock
from apps.core.actions import ActionError, Conflict
from apps.meetings.choices import MeetingStatus
from apps.nominations import actions
from apps.nominations.choices import Decision, NominationStatus
from apps.nominations.models import Nomination, Proposal, Reopening, Review

from .build_nominations import campaign_with, concluded_meeting, proposal_data, proposed, submitted


def _blockers(exc) -> str:
    return " ".join(exc.value.blockers)


# --- the proposal --------------------------------------------------------------------------------------------------


def test_proposal_creates_draft_nominations_of_the_picked_recommended(world):
    meeting = concluded_meeting(world.campaign, world.village)
    picked = [c.pk for c in meeting.recommended_candidates()][:2]
    proposal = actions.create_proposal(world.secretary, meeting, proposal_data(meeting, picked))
    nominations = list(proposal.nominations.all())
    assert sorted(n.candidate_id for n in nominations) == sorted(picked)
    assert {n.status for n in nominations} == {NominationStatus.DRAFT}
    assert all(n.member_id == n.candidate.member_id and n.org_id == world.village.pk for n in nominations)
    assert AuditLog.objects.filter(action="proposal.create", target_id=str(proposal.pk), actor=world.secretary).exists()


def test_only_recommended_candidates_may_be_proposed(world):
    meeting = concluded_meeting(world.campaign, world.village, recommended=2, not_recommended=1)
    loser = meeting.candidates.exclude(pk__in=meeting.recommended_candidates()).get()
    with pytest.raises(ActionError) as exc:
        actions.create_proposal(world.secretary, meeting, proposal_data(meeting, [loser.pk]))
    assert "不在推荐名单中" in _blockers(exc) and str(loser.pk) in _blockers(exc)
    assert not Proposal.objects.exists() and not Nomination.objects.exists()


def test_a_candidate_of_another_meeting_is_refused(world):
    meeting = concluded_meeting(world.campaign, world.village)
    other = concluded_meeting(world.campaign, world.village2)
    foreign = other.recommended_candidates().first()
    with pytest.raises(ActionError) as exc:
        actions.create_proposal(world.office, meeting, proposal_data(meeting, [foreign.pk]))
    assert "不在推荐名单中" in _blockers(exc)


def test_quota_is_the_meetings_frozen_snapshot_and_named_with_its_arithmetic(world):
    # 25 正式党员 × 10% = 2.5 → 2; four recommended (e.g. by run-off), five picked would exceed.
    meeting = concluded_meeting(world.campaign, world.village, formal=25, recommended=3)
    ids = [c.pk for c in meeting.recommended_candidates()]
    with pytest.raises(ActionError) as exc:
        actions.create_proposal(world.secretary, meeting, proposal_data(meeting, ids))
    assert "超出名额：本支部示范岗名额为 2 人（正式党员 25 人 × 10% = 2.5，不超过 → 2 人），拟推荐 3 人。" in exc.value.blockers
    # The live roster no longer matters: only the snapshot does.
    proposal = actions.create_proposal(world.secretary, meeting, proposal_data(meeting, ids[:2]))
    assert proposal.nominations.count() == 2


def test_no_candidates_and_missing_text_are_refused(world):
    meeting = concluded_meeting(world.campaign, world.village)
    with pytest.raises(ActionError) as exc:
        actions.create_proposal(world.secretary, meeting, proposal_data(meeting, [], opinion=" ", committee_attendees=""))
    text = _blockers(exc)
    assert "至少选择一名" in text and "支部意见" in text and "参会支委" in text


def test_publicity_dates_must_be_in_order(world):
    meeting = concluded_meeting(world.campaign, world.village)
    day = clock.today()
    with pytest.raises(ActionError) as exc:
        actions.create_proposal(
            world.secretary,
            meeting,
            proposal_data(meeting, publicity_start=day - dt.timedelta(days=2), publicity_end=day - dt.timedelta(days=3)),
        )
    assert "不能晚于结束日期" in _blockers(exc)
    # start == end (a one-day publicity) is fine
    same = day - dt.timedelta(days=2)
    assert actions.create_proposal(world.secretary, meeting, proposal_data(meeting, publicity_start=same, publicity_end=same))


def test_committee_date_between_meeting_and_today(world):
    meeting = concluded_meeting(world.campaign, world.village, date=clock.today() - dt.timedelta(days=5))
    with pytest.raises(ActionError) as exc:
        actions.create_proposal(world.secretary, meeting, proposal_data(meeting, committee_date=meeting.date - dt.timedelta(days=1)))
    assert "不能早于党员大会日期" in _blockers(exc)
    with pytest.raises(ActionError) as exc:
        actions.create_proposal(world.secretary, meeting, proposal_data(meeting, committee_date=clock.today() + dt.timedelta(days=1)))
    assert "不能晚于今天" in _blockers(exc)


def test_a_meeting_without_result_has_no_proposal(world):
    meeting = concluded_meeting(world.campaign, world.village)
    meeting.status = MeetingStatus.VOTING
    meeting.save()
    assert "尚未产生推荐人选" in " ".join(actions.create_proposal_blockers(world.secretary, meeting))
    with pytest.raises(ActionError):
        actions.create_proposal(world.secretary, meeting, proposal_data(meeting))


def test_roles_that_may_not_propose(world):
    meeting = concluded_meeting(world.campaign, world.village)
    for user in (world.approver, world.county_user, world.secretary2, world.other_office):
        with pytest.raises(PermissionDenied):
            actions.create_proposal(user, meeting, proposal_data(meeting))
    assert not Proposal.objects.exists()


def test_editing_before_submission_replaces_the_picked_set(world):
    meeting = concluded_meeting(world.campaign, world.village)
    a, b, c = [x.pk for x in meeting.recommended_candidates().order_by("pk")]
    proposal = actions.create_proposal(world.secretary, meeting, proposal_data(meeting, [a, b]))
    proposal = actions.create_proposal(world.secretary, meeting, proposal_data(meeting, [b, c], opinion="修改后的意见"))
    assert sorted(proposal.nominations.values_list("candidate_id", flat=True)) == sorted([b, c])
    assert Proposal.objects.get().opinion == "修改后的意见"
    log = AuditLog.objects.get(action="proposal.update")
    assert "推荐对象" in log.changes and "支部意见" in log.changes


def test_no_edit_while_the_town_is_reviewing(world):
    proposal = submitted(world.secretary, world.campaign, world.village)
    with pytest.raises(ActionError) as exc:
        actions.create_proposal(world.secretary, proposal.meeting, proposal_data(proposal.meeting))
    assert "正在审批" in _blockers(exc)


# --- submission, deadline, reopening -------------------------------------------------------------------------------


def test_submission_sends_the_drafts(world):
    proposal = submitted(world.secretary, world.campaign, world.village)
    assert set(proposal.nominations.values_list("status", flat=True)) == {NominationStatus.SUBMITTED}
    assert all(n.submitted_by == world.secretary and n.submitted_at for n in proposal.nominations.all())
    assert AuditLog.objects.filter(action="proposal.submit", target_id=str(proposal.pk)).exists()
    with pytest.raises(Conflict):
        actions.submit_proposal(world.secretary, proposal)


def test_submission_on_the_deadline_day_is_accepted(world):
    campaign_with(world.campaign, deadline=clock.today())
    proposal = submitted(world.secretary, world.campaign, world.village)
    assert proposal.nominations.filter(status=NominationStatus.SUBMITTED).count() == 3


def test_submission_after_the_deadline_is_refused(world):
    campaign_with(world.campaign, deadline=clock.today() - dt.timedelta(days=1))
    proposal = proposed(world.secretary, world.campaign, world.village)
    with pytest.raises(ActionError) as exc:
        actions.submit_proposal(world.secretary, proposal)
    assert "已过申报截止日期" in _blockers(exc) and "延期" in _blockers(exc)
    assert set(proposal.nominations.values_list("status", flat=True)) == {NominationStatus.DRAFT}


@pytest.mark.parametrize(("until_offset", "accepted"), [(0, True), (3, True), (-1, False)])
def test_reopening_runs_until_its_day_inclusive(world, until_offset, accepted):
    campaign_with(world.campaign, deadline=clock.today() - dt.timedelta(days=5))
    proposal = proposed(world.secretary, world.campaign, world.village)
    # Created directly: the action refuses a reopening that has already ended.
    Reopening.objects.create(
        campaign=world.campaign, org=world.village, until=clock.today() + dt.timedelta(days=until_offset), reason="补报"
    )
    if accepted:
        actions.submit_proposal(world.secretary, proposal)
        assert proposal.nominations.filter(status=NominationStatus.SUBMITTED).count() == 3
        assert "延期报送" in AuditLog.objects.get(action="proposal.submit").note
    else:
        with pytest.raises(ActionError):
            actions.submit_proposal(world.secretary, proposal)


def test_a_reopening_is_for_its_branch_only(world):
    campaign_with(world.campaign, deadline=clock.today() - dt.timedelta(days=1))
    actions.reopen_branch(world.office, world.campaign, world.village2, clock.today() + dt.timedelta(days=2), "村两委换届")
    with pytest.raises(ActionError):
        actions.submit_proposal(world.secretary, proposed(world.secretary, world.campaign, world.village))
    actions.submit_proposal(world.secretary2, proposed(world.secretary2, world.campaign, world.village2))


def test_reopen_branch_rules_and_log(world):
    campaign_with(world.campaign, deadline=clock.today() - dt.timedelta(days=1))
    for user in (world.secretary, world.approver, world.county_user):
        with pytest.raises(PermissionDenied):
            actions.reopen_branch(user, world.campaign, world.village, clock.today(), "原因")
    with pytest.raises(ActionError) as exc:
        actions.reopen_branch(world.office, world.campaign, world.village, clock.today() - dt.timedelta(days=1), " ")
    assert "过去的日期" in _blockers(exc) and "原因" in _blockers(exc)
    with pytest.raises(ActionError) as exc:
        actions.reopen_branch(world.office, world.campaign, world.far_village, clock.today(), "原因")
    assert "不是" in _blockers(exc)
    reopening = actions.reopen_branch(world.office, world.campaign, world.village, clock.today(), "书记外出学习")
    log = AuditLog.objects.get(action="reopening.create")
    assert log.note == "书记外出学习" and log.target_id == str(reopening.pk) and log.town_id == world.town.pk


def test_reopening_before_the_deadline_is_pointless_and_refused(world):
    campaign_with(world.campaign, deadline=clock.today() + dt.timedelta(days=3))
    with pytest.raises(ActionError) as exc:
        actions.reopen_branch(world.office, world.campaign, world.village, clock.today() + dt.timedelta(days=2), "原因")
    assert "应晚于申报截止日期" in _blockers(exc)


def test_submission_waits_for_the_end_of_the_branch_publicity(world):
    meeting = concluded_meeting(world.campaign, world.village)
    proposal = actions.create_proposal(
        world.secretary, meeting, proposal_data(meeting, publicity_start=clock.today(), publicity_end=clock.today() + dt.timedelta(days=4))
    )
    with pytest.raises(ActionError) as exc:
        actions.submit_proposal(world.secretary, proposal)
    assert "公示期满后" in _blockers(exc)


# --- review --------------------------------------------------------------------------------------------------------


def test_approve_and_return_with_reason(world):
    proposal = submitted(world.secretary, world.campaign, world.village)
    first, second, _ = proposal.nominations.order_by("pk")
    actions.decide_nomination(world.approver, first, Decision.APPROVE)
    with pytest.raises(ActionError) as exc:
        actions.decide_nomination(world.approver, second, Decision.RETURN, "  ")
    assert "退回须写明理由" in _blockers(exc)
    actions.decide_nomination(world.approver, second, Decision.RETURN, "事迹材料不具体")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (NominationStatus.APPROVED, NominationStatus.RETURNED)
    assert Review.objects.get(nomination=second).reason == "事迹材料不具体"
    assert AuditLog.objects.filter(action="nomination.return", note="事迹材料不具体").exists()


def test_the_submitter_cannot_approve(world):
    world.office.can_approve = True
    world.office.save()
    proposal = submitted(world.office, world.campaign, world.village)
    nomination = proposal.nominations.first()
    with pytest.raises(PermissionDenied) as exc:
        actions.decide_nomination(world.office, nomination, Decision.APPROVE)
    assert "本人报送" in str(exc.value)
    actions.decide_nomination(world.approver, nomination, Decision.APPROVE)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED


def test_only_approval_right_holders_decide(world):
    nomination = submitted(world.secretary, world.campaign, world.village).nominations.first()
    for user in (world.office, world.secretary, world.county_user, world.admin):
        with pytest.raises(PermissionDenied):
            actions.decide_nomination(user, nomination, Decision.APPROVE)
    assert not Review.objects.exists()


def test_a_decided_nomination_is_a_conflict(world):
    nomination = submitted(world.secretary, world.campaign, world.village).nominations.first()
    actions.decide_nomination(world.approver, nomination, Decision.APPROVE)
    with pytest.raises(Conflict) as exc:
        actions.decide_nomination(world.approver, nomination, Decision.RETURN, "迟到的退回")
    assert "已由" in _blockers(exc) and "同意" in _blockers(exc)
    assert Review.objects.count() == 1


def test_a_draft_cannot_be_decided(world):
    nomination = proposed(world.secretary, world.campaign, world.village).nominations.first()
    with pytest.raises(Conflict):
        actions.decide_nomination(world.approver, nomination, Decision.APPROVE)


def test_returned_is_corrected_and_resubmitted(world):
    proposal = submitted(world.secretary, world.campaign, world.village)
    a, b, c = proposal.nominations.order_by("pk")
    actions.decide_nomination(world.approver, a, Decision.APPROVE)
    actions.decide_nomination(world.approver, b, Decision.RETURN, "请补充事迹")
    actions.decide_nomination(world.approver, c, Decision.RETURN, "不符合条件")
    meeting = proposal.meeting
    # The branch drops c, keeps a (approved) and b (corrected), and changes its opinion.
    proposal = actions.create_proposal(
        world.secretary, meeting, proposal_data(meeting, [a.candidate_id, b.candidate_id], opinion="已补充事迹")
    )
    c.refresh_from_db()
    assert c.status == NominationStatus.WITHDRAWN and c.reviews.count() == 1
    # An approved nomination can't be dropped.
    with pytest.raises(ActionError) as exc:
        actions.create_proposal(world.secretary, meeting, proposal_data(meeting, [b.candidate_id]))
    assert "不能从推荐中去掉" in _blockers(exc)
    actions.submit_proposal(world.secretary, proposal)
    statuses = dict(proposal.nominations.values_list("pk", "status"))
    assert statuses == {a.pk: NominationStatus.APPROVED, b.pk: NominationStatus.SUBMITTED, c.pk: NominationStatus.WITHDRAWN}
    actions.decide_nomination(world.approver, b, Decision.APPROVE)
    assert b.reviews.count() == 2


def test_a_returned_nomination_is_corrected_then_resubmitted(world):
    proposal = submitted(world.secretary, world.campaign, world.village, recommended=1)
    nomination = proposal.nominations.get()
    with pytest.raises(ActionError) as exc:
        actions.correct_nomination(world.secretary, nomination, post="村会计", deeds="新事迹", criteria={})
    assert "只有待报送或被退回" in _blockers(exc)
    actions.decide_nomination(world.approver, nomination, Decision.RETURN, "事迹不具体")
    with pytest.raises(ActionError) as exc:
        actions.correct_nomination(world.secretary, nomination, post=" ", deeds="", criteria={99: "x"})
    assert "请填写主要事迹。" in _blockers(exc) and "创建标准序号 99 不存在。" in _blockers(exc)
    for user in (world.approver, world.county_user, world.secretary2):
        with pytest.raises(PermissionDenied):
            actions.correct_nomination(user, nomination, post="村会计", deeds="新事迹", criteria={})
    actions.correct_nomination(
        world.secretary, nomination, post="村会计", deeds="带领群众修通产业路。", criteria={1: "政治坚定，带头学习。", 2: ""}
    )
    nomination.candidate.refresh_from_db()
    assert nomination.candidate.deeds == "带领群众修通产业路。" and nomination.candidate.post == "村会计"
    assert [c["order"] for c in nomination.candidate.criteria] == [1] and nomination.candidate.criteria[0]["title"]
    log = AuditLog.objects.get(action="nomination.correct")
    assert "主要事迹" in log.changes and log.target_id == str(nomination.pk)
    actions.submit_proposal(world.secretary, proposal)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED


def test_resubmission_after_the_deadline_needs_a_reopening(world):
    proposal = submitted(world.secretary, world.campaign, world.village)
    nomination = proposal.nominations.first()
    actions.decide_nomination(world.approver, nomination, Decision.RETURN, "请补充")
    campaign_with(world.campaign, deadline=clock.today() - dt.timedelta(days=1))
    proposal.refresh_from_db()
    with pytest.raises(ActionError):
        actions.submit_proposal(world.secretary, proposal)
    actions.reopen_branch(world.office, world.campaign, world.village, clock.today() + dt.timedelta(days=1), "补正")
    actions.submit_proposal(world.secretary, proposal)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED


# --- the 参评名单 ----------------------------------------------------------------------------------------------------


def test_county_list_lists_the_approved(world):
    p1 = submitted(world.secretary, world.campaign, world.village)
    p2 = submitted(world.secretary2, world.campaign, world.village2, formal=12, recommended=1)  # 12 × 10% = 1.2 → 1
    for n in p1.nominations.all():
        actions.decide_nomination(world.approver, n, Decision.APPROVE)
    n2 = p2.nominations.get()
    with pytest.raises(ActionError) as exc:
        actions.form_county_list(world.office, world.campaign)
    assert "待审批" in _blockers(exc) and world.village2.name in _blockers(exc)
    actions.decide_nomination(world.approver, n2, Decision.RETURN, "材料不全")
    listed = actions.form_county_list(world.office, world.campaign)
    assert len(listed) == 3
    assert set(Nomination.objects.filter(listed_at__isnull=False).values_list("org_id", flat=True)) == {world.village.pk}
    assert Nomination.objects.get(pk=n2.pk).status == NominationStatus.RETURNED
    assert AuditLog.objects.filter(action="nomination.county_list").exists()
    # Nothing new approved: refused; the county sees the listed only.
    with pytest.raises(ActionError):
        actions.form_county_list(world.office, world.campaign)
    assert set(Nomination.objects.visible_to(world.county_user)) == set(Nomination.objects.filter(status=NominationStatus.LISTED))


def test_county_list_roles(world):
    for user in (world.secretary, world.approver, world.county_user):
        with pytest.raises(PermissionDenied):
            actions.form_county_list(user, world.campaign)
    with pytest.raises(PermissionDenied):
        actions.form_county_list(world.other_office, world.campaign)


def test_county_sees_nothing_before_the_list(world):
    proposal = submitted(world.secretary, world.campaign, world.village)
    actions.decide_nomination(world.approver, proposal.nominations.first(), Decision.APPROVE)
    assert not Nomination.objects.visible_to(world.county_user).exists()
    assert Nomination.objects.visible_to(world.office).count() == 3
    assert not Nomination.objects.visible_to(world.secretary2).exists()


# --- with a meeting held through the meeting actions ---------------------------------------------------------------


def test_a_meeting_held_through_its_actions_feeds_the_proposal(world):
    from apps.meetings import actions as meeting_actions

    from .build_meetings import ready_meeting

    meeting, cands = ready_meeting(world, voters=20, candidates=3)  # quota 20 × 10% = 2
    _, codes = meeting_actions.open_poll(world.secretary, meeting)
    for code in codes:  # everyone votes for the first two
        meeting_actions.cast_ballot(code, [cands[0].pk, cands[1].pk])
    meeting_actions.close_poll(world.secretary, meeting)
    meeting.refresh_from_db()
    assert set(meeting.recommended_candidates().values_list("pk", flat=True)) == {cands[0].pk, cands[1].pk}
    day = clock.today()
    data = proposal_data(meeting, [cands[2].pk], committee_date=day, publicity_start=day, publicity_end=day)
    with pytest.raises(ActionError):
        actions.create_proposal(world.secretary, meeting, data)
    data["candidate_ids"] = [cands[0].pk, cands[1].pk]
    proposal = actions.create_proposal(world.secretary, meeting, data)
    actions.submit_proposal(world.secretary, proposal)
    assert proposal.nominations.filter(status=NominationStatus.SUBMITTED).count() == 2
