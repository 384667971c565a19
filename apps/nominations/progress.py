"""Where a branch stands between its meeting and the 参评名单: the step, what comes next, and why not.

Computed from objects already loaded (the meeting, the proposal and its nominations), so a page that
lists every branch spends no query per branch."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.meetings.choices import MeetingStatus

from .choices import NominationStatus

S = NominationStatus


@dataclass(frozen=True)
class Step:
    order: int
    label: str
    next: str
    level: str = "todo"  # urgent / todo / info / done (the home page's levels)
    blockers: list[str] = field(default_factory=list)


def branch_step(meeting, proposal, nominations) -> Step:
    """The branch's step in the 示范岗 procedure (SPEC §3, 1–3)."""
    statuses = [n.status for n in nominations if n.status != S.WITHDRAWN]
    if meeting is None:
        return Step(1, "尚未召开支部党员大会", "召开支部党员大会，民主推荐示范岗人选", "todo")
    if meeting.status != MeetingStatus.CONCLUDED:
        return Step(1, "支部党员大会民主推荐进行中", "党员大会产生推荐人选后，召开支委会确定推荐对象", "todo")
    if proposal is None or not statuses:
        return Step(2, "党员大会已产生推荐人选", "召开支委会，从推荐人选中确定推荐对象（不超过名额）", "urgent")
    if S.RETURNED in statuses:
        n = statuses.count(S.RETURNED)
        return Step(2, f"镇党委退回 {n} 名推荐对象", "按退回理由修改后重新报送镇党委", "urgent")
    if S.DRAFT in statuses:
        return Step(2, "支委会已确定推荐对象，尚未报送", "支部内公示期满后报送镇党委", "urgent")
    if S.SUBMITTED in statuses:
        return Step(3, "已报镇党委，审批中", "等待镇党委审批（同意或退回）", "info")
    if S.APPROVED in statuses:
        return Step(3, "镇党委已审批同意", "镇党建办报送县委组织部参评名单", "info")
    if statuses and all(s in (S.LISTED, S.COMMENDED) for s in statuses):
        if S.COMMENDED in statuses:
            return Step(5, "已表彰", "—", "done")
        return Step(4, "已列入参评名单", "镇党委组织公示", "done")
    return Step(3, "镇党委审批完毕", "—", "done")
