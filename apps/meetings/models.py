"""The branch general meeting (支部党员大会) and its democratic recommendation (民主推荐), SPEC §3.

A meeting belongs to one branch in one campaign. Taking attendance freezes the quota snapshot (the
branch's 正式党员 count and the arithmetic), so later roster changes don't move the quota. Candidates are
members of the branch checked for eligibility. The vote happens in rounds: round 1 among all candidates,
and a run-off round among candidates tied across the quota line for the places left.

Secrecy of the electronic ballot: a `BallotCode` has no voter (codes are handed out as anonymous slips),
only a hash of the code and whether it was used; a `Ballot` has a random id, no timestamp, no code and
no voter: just the round and the chosen candidates.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.querysets import ScopedQuerySet

from .choices import MeetingStatus, Presence, RoundStatus, Teller, VoteMethod


class MeetingQuerySet(ScopedQuerySet):
    scope_field = "org"


class Meeting(models.Model):
    """One 支部党员大会 held to recommend the branch's 示范岗 candidates."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="meetings", verbose_name="示范行动")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="meetings", verbose_name="党组织")
    status = models.CharField("状态", max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PREPARING)
    date = models.DateField("会议日期")
    place = models.CharField("会议地点", max_length=100)
    chair = models.CharField("主持人", max_length=40)
    recorder = models.CharField("记录人", max_length=40)
    method = models.CharField("表决方式", max_length=16, choices=VoteMethod.choices, default=VoteMethod.ELECTRONIC)
    # Frozen when attendance is taken (SPEC §3: the quota doesn't move in the middle of the procedure).
    attendance_taken_at = models.DateTimeField("签到时间", null=True, blank=True)
    expected_voters = models.PositiveIntegerField("应到有表决权党员", null=True, blank=True)
    present_voters = models.PositiveIntegerField("实到有表决权党员", null=True, blank=True)
    quorate = models.BooleanField("达到法定人数", null=True, blank=True)
    quota_formal_members = models.PositiveIntegerField("名额基数（正式党员）", null=True, blank=True)
    quota_percent = models.DecimalField("名额比例（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    quota_rule = models.CharField("取整规则", max_length=20, blank=True)
    quota_value = models.PositiveIntegerField("示范岗名额", null=True, blank=True)
    quota_explain = models.CharField("名额计算", max_length=200, blank=True)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "支部党员大会"
        verbose_name_plural = "支部党员大会"
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "org"], condition=~Q(status="cancelled"), name="meeting_one_live_per_branch_campaign"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.date:%Y-%m-%d} 党员大会"

    def recommended_candidates(self):
        """The meeting's recommended list: the union over its closed rounds (API.md `recommended`)."""
        return self.candidates.filter(results__recommended=True, results__round__status=RoundStatus.CLOSED).distinct()


class Attendance(models.Model):
    """One member's presence at the meeting. `is_voter` is frozen with the snapshot: 正式党员 in 册 vote;
    预备党员 may attend without a vote."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("orgs.Member", on_delete=models.PROTECT, related_name="+", verbose_name="党员")
    presence = models.CharField("出席情况", max_length=16, choices=Presence.choices)
    reason = models.CharField("原因", max_length=100, blank=True)
    is_voter = models.BooleanField("有表决权", default=True)

    class Meta:
        verbose_name = "签到"
        verbose_name_plural = "签到"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.member} {self.get_presence_display()}"


class CandidateQuerySet(ScopedQuerySet):
    scope_field = "meeting__org"


class Candidate(models.Model):
    """A member put before the meeting. `campaign` is repeated from the meeting so that the database
    itself refuses a second candidacy of the same member in one campaign."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="candidates")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("orgs.Member", on_delete=models.PROTECT, related_name="candidacies", verbose_name="党员")
    post = models.CharField("工作岗位/职务", max_length=100)
    deeds = models.TextField("主要事迹")
    # How the candidate meets each 示范岗 criterion: [{"order": 1, "title": "...", "text": "..."}], printed on the 申报表.
    criteria = models.JSONField("对照创建标准", default=list, blank=True)
    missing_appraisal_confirmed = models.BooleanField("已确认缺少民主评议结果", default=False)
    warnings = models.JSONField("提示", default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = "候选人"
        verbose_name_plural = "候选人"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "member"], name="candidate_once_per_campaign")]

    def __str__(self) -> str:
        return str(self.member)


class PollRound(models.Model):
    """One round of voting: round 1 among all candidates, or a run-off among those tied across the
    quota line. For paper ballots the numbers come from the two tellers' agreed entries."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField("轮次")
    status = models.CharField("状态", max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    max_choices = models.PositiveSmallIntegerField("每票最多可选")
    candidates = models.ManyToManyField(Candidate, related_name="rounds", verbose_name="本轮候选人")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    issued = models.PositiveIntegerField("发出选票", default=0)
    used = models.PositiveIntegerField("收回/已投选票", default=0)
    valid = models.PositiveIntegerField("有效票", null=True, blank=True)
    invalid = models.PositiveIntegerField("无效票", null=True, blank=True)

    class Meta:
        verbose_name = "投票轮次"
        verbose_name_plural = "投票轮次"
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="round_number_once")]

    def __str__(self) -> str:
        return f"第 {self.number} 轮"


class BallotCode(models.Model):
    """A one-time code for one electronic ballot. Only its SHA-256 digest is stored; no voter, no time."""

    round = models.ForeignKey(PollRound, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = "投票码"
        verbose_name_plural = "投票码"

    def __str__(self) -> str:
        return "投票码"


class Ballot(models.Model):
    """A cast electronic ballot: a random id, the round and the chosen candidate ids. Nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(PollRound, on_delete=models.CASCADE, related_name="ballots")
    choices = models.JSONField(default=list)

    class Meta:
        verbose_name = "选票"
        verbose_name_plural = "选票"

    def __str__(self) -> str:
        return "选票"


class PaperTally(models.Model):
    """One teller's count of the paper ballots of a round; the round closes when both entries agree."""

    round = models.ForeignKey(PollRound, on_delete=models.CASCADE, related_name="tallies")
    teller = models.CharField("录入人", max_length=16, choices=Teller.choices)
    teller_name = models.CharField("姓名", max_length=40, blank=True)
    issued = models.PositiveIntegerField("发出选票")
    returned = models.PositiveIntegerField("收回选票")
    valid = models.PositiveIntegerField("有效票")
    invalid = models.PositiveIntegerField("无效票")
    votes = models.JSONField("得票", default=dict)  # {"<candidate_id>": votes}
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "计票录入"
        verbose_name_plural = "计票录入"
        constraints = [models.UniqueConstraint(fields=["round", "teller"], name="tally_once_per_teller")]

    def __str__(self) -> str:
        return f"{self.get_teller_display()}录入"


class RoundResult(models.Model):
    """A candidate's votes in a closed round: passed (> half of present voters), recommended (within the
    quota), or tied across the quota line (then a run-off round decides)."""

    round = models.ForeignKey(PollRound, on_delete=models.CASCADE, related_name="results")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="results")
    votes = models.PositiveIntegerField("得票")
    passed = models.BooleanField("过半数")
    recommended = models.BooleanField("推荐")
    tied = models.BooleanField("并列（需再次投票）", default=False)

    class Meta:
        verbose_name = "计票结果"
        verbose_name_plural = "计票结果"
        ordering = ["round", "-votes", "candidate"]
        constraints = [models.UniqueConstraint(fields=["round", "candidate"], name="result_once_per_round")]

    def __str__(self) -> str:
        return f"{self.candidate} {self.votes} 票"
