"""Pages of the branch proposal, submission, reopening, the town's review and the 参评名单 (thin views over
apps.nominations.actions)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.audit.memo import KeptBody
from apps.campaigns.lookup import campaign_for, current_campaign
from apps.campaigns.models import Campaign, Criterion, Target
from apps.core.fetch import fetch
from apps.core.rows import Row, row_url, when
from apps.core.templatetags.badges import badge
from apps.core.views_helpers import run_form
from apps.meetings.choices import MeetingStatus, Presence, RoundStatus
from apps.meetings.models import Attendance, Meeting, PollRound, RoundResult
from apps.meetings.rows import result_row, round_row
from apps.orgs.choices import OrgLevel
from apps.orgs.models import Organization
from apps.papers.templatetags.papers import paper_links

from . import actions
from .choices import Decision, NominationStatus
from .forms import CorrectionForm, DecisionForm, ProposalForm, ReopeningForm
from .models import Nomination, Proposal, Reopening, Review
from .progress import branch_step

BRANCH_LEVELS = (OrgLevel.BRANCH, OrgLevel.GENERAL_BRANCH, OrgLevel.PARTY_COMMITTEE)


def may_review(user) -> bool:
    return user.may_approve or user.manages_town


def may_see_county_list(user) -> bool:
    return user.may_approve or user.manages_town or user.is_county_reviewer


def _attempt(request, fn, success: str) -> bool:
    """Run an action from a button: flash its success, or every blocker (422) / the conflict (409)."""
    try:
        fn()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _deadline_info(campaign, org) -> dict:
    day = actions.today()
    reopening = actions.open_reopening(campaign, org, day)
    days_left = (campaign.deadline - day).days
    return {"deadline": campaign.deadline, "days_left": days_left, "days_late": -days_left, "reopening": reopening}


# --- the campaign's nominations overview ---------------------------------------------------------------------------


def nominations_current(request):
    """A town's users go to their campaign; the county's reviewers (and the administrator) get every town's
    参评名单 side by side."""
    user = request.user
    if user.is_county_reviewer or user.is_admin_role:
        # Drawn once per audited change (KeptBody): the county's forty towns a row each, six values a row.
        return render(
            request, "nominations/towns.html", {"body": KeptBody(request, "town-lists", lambda: {"campaigns": _town_lists(user)})}
        )
    campaign = current_campaign(request)
    if campaign is None:
        raise Http404("尚未创建示范行动。")
    return redirect("nominations:campaign_nominations", pk=campaign.pk)


def _town_lists(user) -> list[Row]:
    """Every campaign the county sees with its count of listed nominations, as plain values."""
    listed = Count("nominations", filter=Q(nominations__listed_at__isnull=False))
    campaigns = Campaign.objects.visible_to(user).select_related("town").annotate(listed=listed).order_by("-year", "town__path")
    list_url = row_url("nominations:county_list")
    return [Row(town=str(c.town), year=c.year, deadline=when(c.deadline, "Y-m-d"), listed=c.listed, url=list_url(c.pk)) for c in campaigns]


def campaign_nominations(request, pk: int):
    """Every branch's step and every nomination of the campaign, filtered by status and branch; the reopenings.
    The body is drawn once per audited change and filter (apps/audit/memo.KeptBody)."""
    user = request.user
    asked_status, asked_org = request.GET.get("status", ""), request.GET.get("org", "")

    def values() -> dict:  # from the campaign read below
        nominations = Nomination.objects.visible_to(user).filter(campaign=campaign).select_related("member", "org", "candidate")
        status, org_id = asked_status, asked_org
        if status in NominationStatus.values:
            nominations = nominations.filter(status=status)
        else:
            status = ""
        town_branches = Organization.objects.visible_to(user).filter(path__startswith=campaign.town.path, level__in=BRANCH_LEVELS)
        branches = list(town_branches.order_by("path").values_list("pk", "name"))
        if org_id.isdigit() and any(pk == int(org_id) for pk, _ in branches):
            nominations = nominations.filter(org_id=int(org_id))
        else:
            org_id = ""
        rows, nominations_list, reopenings = read(nominations, branches)
        return {
            "rows": rows,
            "nominations": nominations_list,
            "branches": [(str(pk), name) for pk, name in branches],
            "statuses": NominationStatus.choices,
            "status": status,
            "org_id": org_id,
            "reopenings": reopenings,
            "can_reopen": actions.may_reopen(user),
            "can_review": may_review(user),
            "can_see_list": may_see_county_list(user),
            "can_propose": actions.may_propose(user),
            "today": actions.today(),
        }

    def read(nominations, branches):
        """Plain values (apps.core.rows)."""
        rows = []
        if not user.is_county_reviewer:
            meetings = {
                m.org_id: m
                for m in Meeting.objects.visible_to(user).filter(campaign=campaign).exclude(status=MeetingStatus.CANCELLED).order_by("pk")
            }
            proposals = {p.org_id: p for p in Proposal.objects.visible_to(user).filter(campaign=campaign)}
            by_org: dict[int, list] = {}
            for n in Nomination.objects.visible_to(user).filter(campaign=campaign).only("pk", "org_id", "status"):
                by_org.setdefault(n.org_id, []).append(n)
            proposal_url, propose_url = row_url("nominations:proposal_detail"), row_url("nominations:proposal_edit")
            for branch_id, branch_name in branches:
                meeting, proposal = meetings.get(branch_id), proposals.get(branch_id)
                step = branch_step(meeting, proposal, by_org.get(branch_id, []))
                rows.append(
                    Row(
                        org_name=branch_name,
                        meeting=meeting
                        and Row(
                            date=when(meeting.date, "Y-m-d"), badge=badge(meeting.status, "MeetingStatus"), quota_value=meeting.quota_value
                        ),
                        proposal_url=proposal_url(proposal.pk) if proposal else "",
                        propose_url=propose_url(meeting.pk) if meeting and step.order == 2 else "",
                        step=step,
                        count=len([n for n in by_org.get(branch_id, []) if n.status != NominationStatus.WITHDRAWN]),
                    )
                )
        listed = [
            Row(
                pk=n.pk,
                member_name=n.member.name,
                org_name=n.org.name,
                post=n.candidate.post,
                badge=badge(n.status, "NominationStatus"),
                papers=paper_links("papers:application", n.pk, "申报表"),
                submitted_at=when(n.submitted_at, "Y-m-d H:i") or "—",
            )
            for n in nominations
        ]
        reopenings = [
            Row(
                org_name=r.org.name,
                until=r.until,
                until_text=when(r.until, "Y-m-d"),
                reason=r.reason,
                created_by=str(r.created_by),
                created_at=when(r.created_at, "Y-m-d"),
            )
            for r in Reopening.objects.visible_to(user).filter(campaign=campaign).select_related("org", "created_by")
        ]
        return rows, listed, reopenings

    body = KeptBody(request, "campaign-nominations", values, pk, asked_status, asked_org)
    campaign = campaign_for(request, pk, may=lambda u: not u.is_inspector, denied="督查组成员不参与示范岗推荐。", ahead=(body.key(),))
    return render(request, "nominations/campaign_nominations.html", {"campaign": campaign, "body": body})


# --- the branch's proposal -----------------------------------------------------------------------------------------


def proposal_edit(request, pk: int):
    """The 支委会's proposal for this meeting: pick from the recommended, within the frozen quota."""
    meeting = fetch(request.user, Meeting.objects.select_related("campaign", "campaign__town", "org"), may=actions.may_propose, pk=pk)
    proposal = Proposal.objects.filter(meeting=meeting).first()
    recommended = list(meeting.recommended_candidates().select_related("member").order_by("pk"))
    votes = {r.candidate_id: r.votes for r in RoundResult.objects.filter(round__meeting=meeting, round__status=RoundStatus.CLOSED)}
    initial = {}
    if proposal is not None:
        initial = {f: getattr(proposal, f) for f in actions.PROPOSAL_FIELDS}
        initial["candidate_ids"] = list(proposal.nominations.active().values_list("candidate_id", flat=True))
    form = ProposalForm(request.POST or None, initial=initial, recommended=recommended)
    done = run_form(
        request,
        form,
        lambda data: actions.create_proposal(request.user, meeting, data),
        success="已保存支委会推荐。支部内公示期满后，请报送镇党委。",
        redirect_to=lambda p: p.get_absolute_url(),
    )
    return done or render(
        request,
        "nominations/proposal_form.html",
        {
            "meeting": meeting,
            "proposal": proposal,
            "form": form,
            "recommended": [(c, votes.get(c.pk)) for c in recommended],
            "blockers": actions.create_proposal_blockers(request.user, meeting),
            "deadline": _deadline_info(meeting.campaign, meeting.org),
        },
    )


def proposal_detail(request, pk: int):
    proposal = fetch(request.user, Proposal.objects.select_related("campaign", "campaign__town", "org", "meeting", "submitted_by"), pk=pk)
    nominations = list(
        proposal.nominations.select_related("member", "candidate", "submitted_by").prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("decided_by"))
        )
    )
    can_propose = actions.may_propose(request.user)
    return render(
        request,
        "nominations/proposal_detail.html",
        {
            "proposal": proposal,
            "meeting": proposal.meeting,
            "nominations": nominations,
            "step": branch_step(proposal.meeting, proposal, nominations),
            "can_propose": can_propose,
            "open_statuses": [str(s) for s in actions.OPEN_STATUSES],
            # Once everything is with the town there is nothing to submit: no red "nothing to submit" box.
            "has_open": any(n.status in actions.OPEN_STATUSES for n in nominations),
            "can_edit": can_propose and not actions.create_proposal_blockers(request.user, proposal.meeting),
            "submit_blockers": actions.submit_proposal_blockers(request.user, proposal) if can_propose else [],
            "deadline": _deadline_info(proposal.campaign, proposal.org),
        },
    )


@require_POST
def proposal_submit(request, pk: int):
    proposal = fetch(request.user, Proposal.objects, may=actions.may_propose, pk=pk)
    _attempt(request, lambda: actions.submit_proposal(request.user, proposal), "已报送镇党委，等待审批。")
    return redirect(proposal.get_absolute_url())


def nomination_edit(request, pk: int):
    """Correct the 申报表's post, deeds and criterion statements of a draft or returned nomination."""
    nomination = fetch(
        request.user,
        Nomination.objects.select_related("candidate", "member", "proposal", "campaign"),
        may=actions.may_propose,
        denied="您无权修改该推荐对象的申报材料。",
        pk=pk,
    )
    criteria = Criterion.objects.filter(campaign=nomination.campaign, target=Target.POST).order_by("order")
    candidate = nomination.candidate
    initial = {"post": candidate.post, "deeds": candidate.deeds} | {
        f"crit_{c['order']}": c.get("text", "") for c in candidate.criteria or []
    }
    form = CorrectionForm(request.POST or None, initial=initial, criteria=criteria)
    done = run_form(
        request,
        form,
        lambda data: actions.correct_nomination(
            request.user, nomination, post=data["post"], deeds=data["deeds"], criteria=form.statements()
        ),
        success="已保存申报材料。修改完毕后请报送镇党委。",
        redirect_to=nomination.proposal.get_absolute_url(),
    )
    last = nomination.reviews.select_related("decided_by").order_by("-pk").first()
    return done or render(
        request,
        "nominations/nomination_form.html",
        {
            "nomination": nomination,
            "form": form,
            "last_review": last,
            "blockers": actions.correct_nomination_blockers(request.user, nomination),
        },
    )


# --- reopening -----------------------------------------------------------------------------------------------------


def reopening_create(request, pk: int):
    campaign = campaign_for(request, pk, may=actions.may_reopen, denied="只有镇党建办可以准予延期报送。")
    form = ReopeningForm(request.POST or None, user=request.user, campaign=campaign)
    done = run_form(
        request,
        form,
        lambda data: actions.reopen_branch(request.user, campaign, data["org"], data["until"], data["reason"]),
        success=lambda r: f"已准予{r.org}延期报送至 {r.until:%Y-%m-%d}。",
        redirect_to=lambda r: f"{campaign_nominations_url(campaign)}#reopenings",
    )
    return done or render(request, "nominations/reopening_form.html", {"campaign": campaign, "form": form})


def campaign_nominations_url(campaign) -> str:
    return reverse("nominations:campaign_nominations", args=[campaign.pk])


# --- the town's review ---------------------------------------------------------------------------------------------


def review(request, pk: int):
    """Every branch's submission with its meeting (attendance, tally, results), the proposal and the
    candidates with their deeds; approve / return with a reason. Queries don't grow with the branches. The
    body is drawn once per audited change (KeptBody)."""
    user = request.user

    def values() -> dict:  # from the campaign read below
        proposals = _submissions(user, campaign)
        return {
            "proposals": proposals,
            "pending": sum(1 for p in proposals for n in p.nominations if n.status == NominationStatus.SUBMITTED),
            "can_decide": actions.may_decide(user),
            "list_blockers": actions.form_county_list_blockers(user, campaign) if actions.may_reopen(user) else None,
        }

    body = KeptBody(request, "review", values, pk)
    campaign = campaign_for(request, pk, may=may_review, denied="只有镇党委审批人和镇党建办可以查看审批页面。", ahead=(body.key(),))
    return render(request, "nominations/review.html", {"campaign": campaign, "body": body})


def _submissions(user, campaign) -> list[Row]:
    """The submitted proposals as plain values (apps.core.rows), what the review's kept body is drawn from: a
    template looks up a dict key several times faster than a model instance's prefetched relations."""
    proposals = (
        Proposal.objects.visible_to(user)
        .filter(campaign=campaign, submitted_at__isnull=False)
        .select_related("org", "meeting", "submitted_by")
        .prefetch_related(
            Prefetch(
                "nominations",
                queryset=Nomination.objects.exclude(status=NominationStatus.DRAFT)
                .select_related("member", "candidate")
                .prefetch_related(Prefetch("reviews", queryset=Review.objects.select_related("decided_by"))),
            ),
            Prefetch("meeting__attendance", queryset=Attendance.objects.exclude(presence=Presence.PRESENT).select_related("member")),
            Prefetch(
                "meeting__rounds",
                queryset=PollRound.objects.filter(status=RoundStatus.CLOSED).prefetch_related(
                    Prefetch("results", queryset=RoundResult.objects.select_related("candidate__member"))
                ),
            ),
        )
        .order_by("org__path")
    )
    decide_url = row_url("nominations:nomination_decide")
    return [
        Row(
            pk=p.pk,
            org_name=p.org.name,
            meeting=_meeting_facts(p.meeting),
            committee_date=when(p.committee_date, "Y年n月j日"),
            committee_attendees=p.committee_attendees,
            opinion=p.opinion,
            publicity_start=when(p.publicity_start, "Y-m-d"),
            publicity_end=when(p.publicity_end, "Y-m-d"),
            submitted_at=when(p.submitted_at, "Y-m-d H:i"),
            submitted_by=str(p.submitted_by or ""),
            nominations=[
                Row(
                    pk=n.pk,
                    member_name=n.member.name,
                    status=n.status,
                    badge=badge(n.status, "NominationStatus"),
                    decide_url=decide_url(n.pk),
                    post=n.candidate.post,
                    deeds=n.candidate.deeds,
                    criteria=n.candidate.criteria,
                    submitted_by_id=n.submitted_by_id,
                    reviews=[
                        Row(
                            decided_at=when(r.decided_at, "Y-m-d H:i"),
                            decided_by=str(r.decided_by or ""),
                            decision=r.get_decision_display(),
                            reason=r.reason,
                        )
                        for r in n.reviews.all()
                    ],
                )
                for n in p.nominations.all()
            ],
        )
        for p in proposals
    ]


def _meeting_facts(m: Meeting) -> Row:
    return Row(
        date=when(m.date, "Y年n月j日"),
        place=m.place,
        chair=m.chair,
        recorder=m.recorder,
        expected_voters=m.expected_voters,
        present_voters=m.present_voters,
        quorate=m.quorate,
        quota_value=m.quota_value,
        quota_explain=m.quota_explain,
        absent=[Row(name=a.member.name, presence=a.get_presence_display(), reason=a.reason) for a in m.attendance.all()],
        rounds=[Row(round_row(r), results=[result_row(x) for x in r.results.all()]) for r in m.rounds.all()],
    )


@require_POST
def nomination_decide(request, pk: int):
    nomination = fetch(request.user, Nomination.objects, may=actions.may_decide, denied="只有镇党委审批人可以审批推荐对象。", pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        label = "同意" if form.cleaned_data["decision"] == Decision.APPROVE else "退回"
        _attempt(
            request,
            lambda: actions.decide_nomination(request.user, nomination, form.cleaned_data["decision"], form.cleaned_data["reason"]),
            f"已审批：{label}（{nomination.member.name}）。",
        )
    return redirect(f"{review_url(nomination.campaign_id)}#n{nomination.pk}")


def review_url(campaign_id: int) -> str:
    return reverse("nominations:review", args=[campaign_id])


# --- the 参评名单 ----------------------------------------------------------------------------------------------------


def county_list(request, pk: int):
    """The 参评名单: the listed nominations, by branch. The town office forms it (POST); the county's
    reviewers read it from then on."""
    user = request.user
    campaign = campaign_for(request, pk, may=may_see_county_list, denied="您无权查看参评名单。")
    if request.method == "POST":
        if not actions.may_reopen(user):
            raise PermissionDenied("只有镇党建办可以报送参评名单。")
        _attempt(request, lambda: actions.form_county_list(user, campaign), "参评名单已报送县委组织部。")
        return redirect("nominations:county_list", pk=campaign.pk)
    listed = (
        Nomination.objects.visible_to(user)
        .filter(campaign=campaign, listed_at__isnull=False)
        .select_related("member", "org", "candidate")
        .order_by("org__path", "pk")
    )
    return render(
        request,
        "nominations/county_list.html",
        {
            "campaign": campaign,
            "listed": listed,
            "can_form": actions.may_reopen(user),
            "blockers": actions.form_county_list_blockers(user, campaign) if actions.may_reopen(user) else [],
            "approved": Nomination.objects.visible_to(user).filter(campaign=campaign, status=NominationStatus.APPROVED).count(),
        },
    )
