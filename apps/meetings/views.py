"""Pages of the branch general meeting: register, attendance, candidates, poll (slips, progress, close),
paper tally, results; and the public voter page /vote/ (no account)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.audit.memo import KeptBody, fetch_kept
from apps.campaigns.lookup import campaign_for
from apps.campaigns.models import Criterion, Target
from apps.core.actions import Conflict
from apps.core.rows import Row
from apps.core.views_helpers import apply_errors, client_ip, run_form
from apps.orgs.models import Organization

from . import actions, ballot_limit, rules
from .choices import Presence, RoundStatus, VoteMethod
from .forms import CandidateForm, MeetingForm, TallyForm, VoteForm
from .models import BallotCode, Candidate, Meeting, PollRound, RoundResult
from .progress import meeting_of, meeting_step
from .rows import result_row, round_row


def _meeting(request, pk: int, ahead: tuple = ()) -> Meeting:
    related = Meeting.objects.select_related("campaign__town", "org")
    return fetch_kept(request, "meeting", related, may=actions.may_manage, ahead=ahead, pk=pk)


def _url(meeting: Meeting, name: str = "meeting_detail") -> str:
    return reverse(f"meetings:{name}", args=[meeting.pk])


def branch_meeting(request, pk: int, org: int):
    """The campaign's meeting of one branch: the meeting if registered, else the form to register it."""
    campaign = campaign_for(request, pk, may=actions.may_manage)
    branch = Organization.objects.visible_to(request.user).filter(pk=org).first()
    if branch is None:
        raise Http404
    meeting = meeting_of(campaign, branch)
    if meeting is not None:
        return redirect(_url(meeting))
    form = MeetingForm(request.POST or None, initial={"method": VoteMethod.ELECTRONIC})
    done = run_form(
        request,
        form,
        lambda data: actions.create_meeting(request.user, campaign, branch, data),
        success="已登记支部党员大会。下一步：签到。",
        redirect_to=lambda m: _url(m, "attendance"),
    )
    return done or render(
        request,
        "meetings/meeting_form.html",
        {
            "form": form,
            "campaign": campaign,
            "branch": branch,
            "step": meeting_step(None),
            "blockers": actions.create_meeting_blockers(request.user, campaign, branch),
        },
    )


def meeting_edit(request, pk: int):
    meeting = _meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=Meeting.objects.get(pk=meeting.pk))
    done = run_form(
        request,
        form,
        lambda data: actions.update_meeting(request.user, meeting, data),
        success="已修改会议信息。",
        redirect_to=_url(meeting),
    )
    return done or render(
        request,
        "meetings/meeting_form.html",
        {
            "form": form,
            "meeting": meeting,
            "campaign": meeting.campaign,
            "branch": meeting.org,
            "step": meeting_step(meeting),
            "blockers": actions.update_meeting_blockers(request.user, meeting),
        },
    )


def meeting_detail(request, pk: int):
    # Drawn once per audited change (a ballot cast is audited too): apps/audit/memo.KeptBody; read with the meeting.
    body = KeptBody(request, "meeting", lambda: _meeting_facts(request.user, meeting), pk)
    meeting = _meeting(request, pk, ahead=(body.key(),))
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting, "body": body})


def _meeting_facts(user, meeting: Meeting) -> dict:
    """The meeting page's rounds, candidates and attendance as plain values (apps.core.rows), what its kept body
    is drawn from (model instances cost the template several times more to show)."""
    rounds = list(meeting.rounds.all())
    results: dict[int, list[Row]] = {}
    closed = [r for r in rounds if r.status == RoundStatus.CLOSED]
    for x in RoundResult.objects.filter(round__in=closed).select_related("candidate__member").order_by("round", "-votes", "candidate_id"):
        results.setdefault(x.round_id, []).append(result_row(x))
    open_round = next((r for r in rounds if r.status == RoundStatus.OPEN), None)
    return {
        "step": meeting_step(meeting),
        "attendance": [
            Row(name=a.member.name, presence=a.presence, is_voter=a.is_voter, reason=a.reason)
            for a in meeting.attendance.select_related("member").order_by("presence", "member__name")
        ],
        "candidates": [Row(name=c.member.name, post=c.post, warnings=c.warnings) for c in meeting.candidates.select_related("member")],
        "rounds": [
            (
                round_row(r),
                results.get(r.pk, []) if r.status == RoundStatus.CLOSED else None,
            )
            for r in rounds
        ],
        "recommended": [Row(name=c.member.name, post=c.post) for c in meeting.recommended_candidates().select_related("member")],
        "open_round": open_round and Row(number=open_round.number),
        "next_round": actions.next_round(meeting),
        "poll_blockers": actions.poll_blockers(user, meeting),
        "quorum_text": rules.quorum_text(meeting.present_voters, meeting.expected_voters, meeting.campaign.quorum_percent)
        if meeting.attendance_taken_at
        else "",
    }


def attendance(request, pk: int):
    meeting = _meeting(request, pk)
    members = list(actions.roster(meeting))
    current = {a.member_id: a for a in meeting.attendance.all()}
    errors: list[str] = []
    blockers = actions.attendance_blockers(request.user, meeting)
    if request.method == "POST":
        present, absent, excused = [], [], []
        for m in members:
            presence = request.POST.get(f"p_{m.pk}", Presence.PRESENT)
            reason = request.POST.get(f"r_{m.pk}", "")[:200]
            if presence == Presence.PRESENT:
                present.append(m.pk)
            elif presence == Presence.EXCUSED:
                excused.append((m.pk, reason))
            else:
                absent.append((m.pk, reason))
        try:
            actions.take_attendance(request.user, meeting, present, absent, excused)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, "已保存签到，名额已按当前名册冻结。")
            return redirect(_url(meeting))
    rows = []
    for m in members:
        a = current.get(m.pk)
        presence = request.POST.get(f"p_{m.pk}") if request.method == "POST" else (a.presence if a else Presence.PRESENT)
        reason = request.POST.get(f"r_{m.pk}", "") if request.method == "POST" else (a.reason if a else "")
        rows.append({"member": m, "presence": presence, "reason": reason})
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "rows": rows,
            "errors": errors,
            "blockers": blockers,
            "choices": Presence.choices,
            "step": meeting_step(meeting),
        },
    )


def candidates(request, pk: int):
    meeting = _meeting(request, pk)
    roster = actions.roster_eligibility(meeting)
    taken = set(meeting.candidates.values_list("member_id", flat=True))
    choosable = [m.pk for m, e in roster if m.pk not in taken and (e.eligible or e.missing_appraisal and len(e.blockers) == 1)]
    criteria = Criterion.objects.filter(campaign=meeting.campaign, target=Target.POST)
    form = CandidateForm(request.POST or None, members=actions.roster(meeting).filter(pk__in=choosable), criteria=criteria)
    blockers = actions.candidate_blockers(request.user, meeting)
    done = run_form(
        request,
        form,
        lambda data: actions.add_candidate(
            request.user,
            meeting,
            data["member"],
            post=data["post"],
            deeds=data["deeds"],
            criteria=form.statements(),
            confirm_missing_appraisal=data["confirm_missing_appraisal"],
        ),
        success=lambda c: f"已确定候选人：{c.member.name}。",
        redirect_to=_url(meeting, "candidates"),
    )
    return done or render(
        request,
        "meetings/candidates.html",
        {
            "meeting": meeting,
            "form": form,
            "roster": [(m, e, m.pk in taken) for m, e in roster],
            "candidates": meeting.candidates.select_related("member"),
            "blockers": blockers,
            "step": meeting_step(meeting),
        },
    )


@require_POST
def candidate_remove(request, pk: int, cid: int):
    meeting = _meeting(request, pk)
    candidate = Candidate.objects.filter(meeting=meeting, pk=cid).select_related("member").first()
    if candidate is None:
        raise Http404
    try:
        actions.remove_candidate(request.user, candidate)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已移除候选人：{candidate.member.name}。")
    return redirect(_url(meeting, "candidates"))


def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, border=2)


def poll_open(request, pk: int):
    """GET: what opening the poll will do. POST: open it and show the slips to print (codes shown only here);
    with `reissue`, replace the open round's codes while nobody has voted (lost slips)."""
    meeting = _meeting(request, pk)
    errors: list[str] = []
    if request.method == "POST":
        act = actions.reissue_codes if "reissue" in request.POST else actions.open_poll
        try:
            rnd, codes = act(request.user, meeting)
        except ValidationError as exc:
            errors = exc.messages
        else:
            vote_url = request.build_absolute_uri(reverse("meetings:vote"))
            names = [c.member.name for c in rnd.candidates.select_related("member").order_by("pk")]
            slips = [{"code": c, "url": f"{vote_url}?code={c}", "qr": _qr(f"{vote_url}?code={c}")} for c in codes]
            response = render(
                request,
                "meetings/slips.html",
                {"meeting": meeting, "round": rnd, "slips": slips, "vote_url": vote_url, "names": names},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "meetings/poll_open.html",
        {
            "meeting": meeting,
            "next_round": actions.next_round(meeting),
            "open_round": actions.open_round(meeting),
            "blockers": errors or actions.poll_blockers(request.user, meeting),
            "may_reissue": not actions.reissue_blockers(request.user, meeting),
            "step": meeting_step(meeting),
        },
    )


def poll(request, pk: int):
    """Progress of the open round: only "已投 N / 共 M 张" until it is closed."""
    meeting = _meeting(request, pk)
    rnd = meeting.rounds.order_by("-number").first()
    issued, used = actions.poll_counts(rnd) if rnd else (0, 0)
    return render(
        request,
        "meetings/poll.html",
        {"meeting": meeting, "round": rnd, "issued": issued, "used": used, "step": meeting_step(meeting)},
    )


@require_POST
def poll_close(request, pk: int):
    meeting = _meeting(request, pk)
    try:
        report = actions.close_poll(request.user, meeting)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(_url(meeting, "poll"))
    text = f"第 {report.round.number} 轮投票已结束并计票。"
    if report.outcome.tie:
        text += "有候选人在名额线上得票相同，须再次投票。"
    messages.success(request, text)
    return redirect(_url(meeting))


def tally(request, pk: int):
    meeting = _meeting(request, pk)
    rnd = actions.open_round(meeting)
    nxt = actions.next_round(meeting)
    ids = list(rnd.candidates.values_list("pk", flat=True)) if rnd else (nxt.candidate_ids if nxt else [])
    cands = Candidate.objects.filter(pk__in=ids).select_related("member")
    form = TallyForm(request.POST or None, candidates=cands)
    blockers = [] if rnd else actions.poll_blockers(request.user, meeting, paper=True)
    if meeting.method != VoteMethod.PAPER:
        blockers = ["本次党员大会采用电子投票，无需录入计票结果。"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _, report = actions.record_tally(
                request.user,
                meeting,
                teller=data["teller"],
                teller_name=data["teller_name"],
                issued=data["issued"],
                returned=data["returned"],
                valid=data["valid"],
                invalid=data["invalid"],
                votes=form.votes(),
            )
        except Conflict as exc:
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if report:
                messages.success(request, "计票人、监票人录入一致，已计票。")
                return redirect(_url(meeting))
            messages.success(request, "已保存录入，等待另一名录入人录入。")
            return redirect(_url(meeting, "tally"))
    entries = list(rnd.tallies.all()) if rnd else []
    return render(
        request,
        "meetings/tally.html",
        {
            "meeting": meeting,
            "form": form,
            "round": rnd,
            "next_round": nxt,
            "entries": entries,
            "blockers": blockers,
            "step": meeting_step(meeting),
        },
    )


# --- the voter's page: no account ------------------------------------------------------------------------------


def _round_of(code: str) -> PollRound | None:
    row = BallotCode.objects.filter(digest=rules.code_digest(code), used=False).values("round_id").first() if code else None
    if row is None:
        return None
    return PollRound.objects.filter(pk=row["round_id"], status=RoundStatus.OPEN).select_related("meeting__org").first()


@login_not_required
def vote(request):
    """The phone page behind the QR code: type or scan the code, tick up to max choices, submit once."""
    source = request.POST if request.method == "POST" else request.GET
    code = rules.normalize_code(source.get("code", ""))[:40]
    form = VoteForm(initial={"code": source.get("code", "")[:100]})
    ip = client_ip(request)
    too_many = bool(source.get("code")) and ballot_limit.blocked(ip)
    rnd = None if too_many else _round_of(code)
    error = ballot_limit.TOO_MANY if too_many else ""
    chosen = list(request.POST.getlist("choice")) if request.method == "POST" else []
    if source.get("code") and rnd is None and not too_many:
        ballot_limit.failed(ip)
        error = "投票码无效、已使用，或该轮投票未开始、已结束。请核对纸条上的投票码。"
    if request.method == "POST" and rnd is not None and "cast" in request.POST:
        try:
            actions.cast_ballot(code, chosen)
        except Http404:
            ballot_limit.failed(ip)
            error = "投票码无效，或该轮投票已结束。"
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            return render(request, "meetings/vote_done.html", {})
        rnd = _round_of(code)
    candidates = list(rnd.candidates.select_related("member").order_by("pk")) if rnd else []
    response = render(
        request,
        "meetings/vote.html",
        {"form": form, "round": rnd, "candidates": candidates, "code": code, "error": error, "chosen": {str(c) for c in chosen}},
        status=429 if too_many else 200,
    )
    response["Cache-Control"] = "no-store"
    # The code in ?code= must not leave in a Referer header; "no-referrer" would make the form post
    # carry "Origin: null", which CSRF protection refuses.
    response["Referrer-Policy"] = "same-origin"
    return response
