"""Home-page tasks of the proposal, submission, review and 参评名单 steps.

- branch secretary: the committee's proposal to write, drafts to submit (with the deadline countdown and
  why not yet), returned nominations to correct and resubmit;
- holder of the approval right: nominations waiting for a decision (not those it submitted itself);
- town office: the 参评名单 to form once nothing waits for a decision; branches late with no reopening.
"""

from __future__ import annotations

from django.urls import reverse

from apps.core.tasks import Task, task_provider
from apps.meetings.choices import MeetingStatus

from . import actions
from .choices import NominationStatus
from .models import Nomination, Proposal
from .progress import branch_step


def _countdown(campaign, org) -> str:
    day = actions.today()
    days = (campaign.deadline - day).days
    text = f"申报截止 {campaign.deadline:%Y-%m-%d}（" + (f"剩 {days} 天）" if days >= 0 else f"已过 {-days} 天）")
    if days < 0:
        reopening = actions.open_reopening(campaign, org, day)
        text += f"，已准予延期至 {reopening.until:%Y-%m-%d}" if reopening else "，须镇党建办准予延期后才能报送"
    return text


def _secretary_tasks(user, campaign):
    from apps.meetings.models import Meeting

    org = user.organization
    meeting = (
        Meeting.objects.visible_to(user)
        .filter(campaign=campaign, org=org)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("org")
        .order_by("-pk")
        .first()
    )
    if meeting is None or meeting.status != MeetingStatus.CONCLUDED:
        return
    proposal = Proposal.objects.filter(meeting=meeting).select_related("campaign", "org", "meeting").first()
    nominations = list(proposal.nominations.select_related("member")) if proposal else []
    step = branch_step(meeting, proposal, nominations)
    countdown = _countdown(campaign, org)
    due = campaign.deadline
    if proposal is None or not nominations:
        yield Task(
            "召开支委会，确定示范岗推荐对象",
            f"从党员大会推荐人选中确定（名额 {meeting.quota_value} 人），支部内公示后报送镇党委。{countdown}",
            reverse("nominations:proposal_edit", args=[meeting.pk]),
            due=due,
            level="urgent",
            order=10,
        )
        return
    returned = [n for n in nominations if n.status == NominationStatus.RETURNED]
    if returned:
        reasons = "；".join(f"{n.member.name}：{r.reason}" for n in returned for r in n.reviews.order_by("-pk")[:1])
        yield Task(
            f"镇党委退回 {len(returned)} 名推荐对象，请修改后重新报送",
            f"退回理由：{reasons}。{countdown}",
            proposal.get_absolute_url(),
            due=due,
            level="urgent",
            order=10,
        )
    elif any(n.status == NominationStatus.DRAFT for n in nominations):
        blockers = actions.submit_proposal_blockers(user, proposal)
        yield Task(
            "报送镇党委：示范岗推荐对象",
            countdown + ("。暂不能报送：" + "；".join(blockers) if blockers else "。"),
            proposal.get_absolute_url(),
            due=due,
            level="urgent",
            order=10,
        )
    elif step.order >= 3:
        yield Task(
            step.label, f"下一步：{step.next}。", proposal.get_absolute_url(), level="info" if step.level != "done" else "done", order=60
        )


def _late_branches(user, campaign) -> list[str]:
    """Branches whose meeting has produced a result but which have nothing submitted after the deadline
    and no running reopening."""
    from apps.meetings.models import Meeting

    day = actions.today()
    if day <= campaign.deadline:
        return []
    concluded = Meeting.objects.visible_to(user).filter(campaign=campaign, status=MeetingStatus.CONCLUDED)
    sent = Nomination.objects.filter(campaign=campaign, submitted_at__isnull=False).values("org_id")
    reopened = campaign.reopenings.filter(until__gte=day).values("org_id")
    return list(concluded.exclude(org_id__in=sent).exclude(org_id__in=reopened).order_by("org__path").values_list("org__name", flat=True))


@task_provider
def nomination_tasks(user, campaign):
    if campaign is None:
        return
    if user.is_branch_secretary and user.organization_id:
        yield from _secretary_tasks(user, campaign)
    if user.may_approve:
        waiting = (
            Nomination.objects.visible_to(user)
            .filter(campaign=campaign, status=NominationStatus.SUBMITTED)
            .exclude(submitted_by=user)
            .count()
        )
        if waiting:
            yield Task(
                f"{waiting} 名示范岗推荐对象待审批",
                "逐一审核支部党员大会、计票结果和主要事迹，同意或退回（退回须写明理由）。",
                reverse("nominations:review", args=[campaign.pk]),
                level="urgent",
                order=5,
            )
    if user.manages_town and not user.is_admin_role:
        late = _late_branches(user, campaign)
        if late:
            yield Task(
                f"{len(late)} 个支部已过申报截止日期仍未报送",
                "、".join(late[:10]) + ("等" if len(late) > 10 else "") + "。可督促支部，或在“示范岗推荐”页准予延期报送（写明原因）。",
                reverse("nominations:campaign_nominations", args=[campaign.pk]) + "#reopenings",
                level="todo",
                order=12,
            )
        approved = Nomination.objects.visible_to(user).filter(campaign=campaign, status=NominationStatus.APPROVED).count()
        if approved:
            blockers = actions.form_county_list_blockers(user, campaign)
            yield Task(
                f"报送参评名单：{approved} 名已审批同意",
                "；".join(blockers) if blockers else "报送县委组织部后，县里即可查看参评名单。",
                reverse("nominations:county_list", args=[campaign.pk]),
                level="info" if blockers else "todo",
                order=15,
            )
