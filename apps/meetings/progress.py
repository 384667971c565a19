"""Which step of the meeting a branch is on, what comes next and why it is blocked (pages, home tasks)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .choices import MeetingStatus, RoundStatus, VoteMethod
from .models import Meeting


@dataclass(frozen=True)
class Step:
    title: str
    detail: str = ""
    blockers: list[str] = field(default_factory=list)
    done: bool = False


def meeting_of(campaign, org) -> Meeting | None:
    return Meeting.objects.filter(campaign=campaign, org=org).exclude(status=MeetingStatus.CANCELLED).first()


def meeting_step(meeting: Meeting | None) -> Step:
    from .actions import poll_blockers

    if meeting is None:
        return Step("召开支部党员大会", "登记会议日期、地点、主持人、记录人和表决方式（电子投票或纸质选票）。")
    if meeting.status == MeetingStatus.CONCLUDED:
        names = "、".join(c.member.name for c in meeting.recommended_candidates().select_related("member")) or "无人过半数"
        return Step("党员大会已产生推荐人选", f"推荐人选：{names}。下一步：支委会研究确定推荐人选并在支部内公示。", done=True)
    if meeting.attendance_taken_at is None:
        return Step("党员大会签到", "按支部名册登记到会、缺席和请假党员；系统计算应到、实到人数并冻结名额。")
    if meeting.status == MeetingStatus.PREPARING:
        if not meeting.candidates.exists():
            return Step("确定候选人", "从本支部党员中确定候选人，填写岗位、主要事迹和对照创建标准情况。")
        blockers = poll_blockers(None, meeting, paper=True)
        if meeting.method == VoteMethod.PAPER:
            return Step("纸质选票投票并录入计票结果", "投票结束后由计票人、监票人分别录入，两份一致后自动计票。", blockers)
        return Step("开启电子投票", "为每名到会有表决权党员生成一次性投票码，打印后裁开分发。", blockers)
    current = meeting.rounds.filter(status=RoundStatus.OPEN).first()
    if current is not None:
        if meeting.method == VoteMethod.PAPER:
            return Step(f"第 {current.number} 轮计票录入中", "等待计票人、监票人两份录入一致。")
        used = current.codes.filter(used=True).count()
        return Step(f"第 {current.number} 轮投票进行中", f"已投 {used} / 共 {current.issued} 张。投票完毕后请结束投票并计票。")
    return Step("并列需再次投票", "上一轮有候选人在名额线上得票相同，须在并列人选中再次投票确定剩余名额。")


def branch_step(campaign, org) -> Step:
    return meeting_step(meeting_of(campaign, org))
