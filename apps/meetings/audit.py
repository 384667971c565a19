"""Audit action codes of the branch meeting and its ballot."""

from django.db import models


class MeetingAudit(models.TextChoices):
    MEETING_CREATE = "meeting.create", "登记支部党员大会"
    MEETING_UPDATE = "meeting.update", "修改党员大会信息"
    ATTENDANCE = "meeting.attendance", "党员大会签到"
    CANDIDATE_ADD = "meeting.candidate_add", "确定候选人"
    CANDIDATE_REMOVE = "meeting.candidate_remove", "移除候选人"
    POLL_OPEN = "meeting.poll_open", "开启投票并生成投票码"
    CODES_REISSUE = "meeting.codes_reissue", "作废并重新生成投票码"
    BALLOT_CAST = "meeting.ballot_cast", "匿名投票"
    POLL_CLOSE = "meeting.poll_close", "结束投票并计票"
    TALLY_ENTER = "meeting.tally_enter", "录入纸质选票计票结果"
