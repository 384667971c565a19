"""The plaque registry (beyond the plan): every awarded 示范村 plaque and 示范岗 certificate across campaigns, its
yearly re-review (年度复核: 保留 / 限期整改 / 摘牌, one per plaque and year, in a year later than the award) and
摘牌 — withdrawing one, with the date and the reason (audited). A review that concludes 摘牌, and the follow-up
of a 限期整改 that was not rectified, go through the one revocation action below (`revoke_plaque`)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from apps.audit.log import record
from apps.core.actions import ActionError, Conflict, refuse, refuse_unless
from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination

from .audit import VillageAudit
from .choices import FollowUpOutcome, ReviewConclusion, VillageStatus
from .models import PlaqueReview, Revocation, VillageCandidate

VILLAGE, POST = "village", "post"


@dataclass(frozen=True)
class Plaque:
    kind: str  # VILLAGE or POST
    label: str
    number: str
    year: int
    town: str
    holder: str
    org: str
    awarded: dt.date | None
    revocation: Revocation | Revoked | None
    pk: int
    reviews: tuple[PlaqueReview, ...] = ()  # oldest year first

    @property
    def revoked(self) -> bool:
        return self.revocation is not None

    @property
    def last_review(self) -> PlaqueReview | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def rectifying(self) -> PlaqueReview | None:
        """The review whose 限期整改 still waits for its follow-up conclusion (the plaque stays on the roll)."""
        last = self.last_review
        return last if last is not None and last.awaiting_follow_up and not self.revoked else None

    @property
    def due(self) -> bool:
        """本年度待复查: a plaque awarded in an earlier year, not withdrawn, without a review of this year."""
        this_year = timezone.localdate().year
        return not self.revoked and self.year < this_year and all(r.year != this_year for r in self.reviews)

    @property
    def status_label(self) -> str:
        if self.revoked:
            return "已摘牌"
        if self.rectifying:
            return "限期整改中"
        return "有效"

    @property
    def next_step(self) -> str:
        this_year = timezone.localdate().year
        if self.revoked:
            return "已摘牌，不再复查。"
        if self.rectifying:
            return f"整改期限 {self.rectifying.due_date:%Y-%m-%d}：整改到位或期满后记录整改复查结论（保留或摘牌）。"
        if self.due:
            return f"{this_year}年度待复查：记录复查情况和结论（保留 / 限期整改 / 摘牌）。"
        if self.year >= this_year:
            return "授予当年不复查，自下一年度起每年复查一次。"
        return f"{this_year}年度已复查，下一年度再复查。"

    def get_absolute_url(self) -> str:
        return _plaque_url(self.kind)(self.pk)

    @property
    def awarded_text(self) -> str:
        return f"{self.awarded:%Y-%m-%d}" if self.awarded else "—"


@functools.cache
def _plaque_url(kind: str):
    """A plaque page's URL maker, reversed once per process (the registry links every row twice)."""
    from apps.core.rows import row_url

    return row_url("villages:plaque_village" if kind == VILLAGE else "villages:plaque_post")


@dataclass(frozen=True)
class Revoked:
    """The 摘牌 of a plaque in the registry's rows (read as plain values): the date and the reason."""

    date: dt.date
    reason: str


def may_revoke(user, kind: str) -> bool:
    """A 示范村 plaque is the county's (授牌); a 示范岗 certificate the town committee's (表彰)."""
    if user.is_admin_role:
        return True
    return user.is_county_reviewer if kind == VILLAGE else user.may_approve


def _reviews() -> Prefetch:
    return Prefetch("plaque_reviews", queryset=PlaqueReview.objects.order_by("year", "pk"))


def village_plaques(user=None):
    """The awarded 示范村 plaques (the ones the user may see; all for a fetch, which scopes), their reviews in
    a second query."""
    return (
        (VillageCandidate.objects.all() if user is None else VillageCandidate.objects.visible_to(user))
        .filter(status=VillageStatus.APPROVED)
        .exclude(plaque_no="")
        .select_related("org", "campaign__town", "revocation")
        .prefetch_related(_reviews())
    )


def post_plaques(user=None):
    """The numbered 示范岗 certificates (as `village_plaques`)."""
    return (
        (Nomination.objects.all() if user is None else Nomination.objects.visible_to(user))
        .filter(status=NominationStatus.COMMENDED)
        .exclude(certificate_no="")
        .select_related("member", "org", "campaign__town", "campaign__commendation", "plaque_revocation")
        .prefetch_related(_reviews())
    )


def plaque_of(target) -> Plaque:
    """The registry row of one fetched plaque (a VillageCandidate or a Nomination from the querysets above)."""
    reviews = tuple(target.plaque_reviews.all())
    if isinstance(target, VillageCandidate):
        v = target
        return Plaque(VILLAGE, "共产党员示范村", v.plaque_no, v.campaign.year, v.campaign.town.name, v.org.name, v.org.name,
                      v.plaque_date, getattr(v, "revocation", None), v.pk, reviews)  # fmt: skip
    n = target
    commendation = getattr(n.campaign, "commendation", None)
    return Plaque(POST, "共产党员示范岗", n.certificate_no, n.campaign.year, n.campaign.town.name, n.member.name, n.org.name,
                  getattr(commendation, "date", None), getattr(n, "plaque_revocation", None), n.pk, reviews)  # fmt: skip


def plaques(user, kind: str = "", year: int | None = None, due: bool = False) -> list[Plaque]:
    """The registry; `due` keeps the plaques 本年度待复查 only. Rows read as plain values (one query per kind,
    and one for each kind's reviews), not model instances: the county's registry has hundreds of rows."""
    rows: list[Plaque] = []
    for wanted, queryset in ((VILLAGE, village_plaques), (POST, post_plaques)):
        if kind not in ("", wanted):
            continue
        qs = queryset(user).select_related(None).prefetch_related(None)
        if year:
            qs = qs.filter(campaign__year=year)
        if wanted == VILLAGE:
            fields = ("pk", "plaque_no", "campaign__year", "campaign__town__name", "org__name", "org__name", "plaque_date")
            revoked, label, key = "revocation", "共产党员示范村", "village_id"
        else:
            fields = ("pk", "certificate_no", "campaign__year", "campaign__town__name", "member__name", "org__name")
            fields += ("campaign__commendation__date",)
            revoked, label, key = "plaque_revocation", "共产党员示范岗", "nomination_id"
        values = list(qs.values_list(*fields, f"{revoked}__date", f"{revoked}__reason"))
        reviews: dict[int, list] = {}
        for review in PlaqueReview.objects.filter(**{f"{key}__in": [v[0] for v in values]}).order_by("year", "pk"):
            reviews.setdefault(getattr(review, key), []).append(review)
        for pk, number, year_, town, holder, org, awarded, revoked_on, reason in values:
            revocation = Revoked(revoked_on, reason) if revoked_on is not None else None
            rows.append(Plaque(wanted, label, number, year_, town, holder, org, awarded, revocation, pk, tuple(reviews.get(pk, ()))))
    if due:
        rows = [p for p in rows if p.due]
    return sorted(rows, key=lambda p: (-p.year, p.town, p.kind, p.number))


def due_count(user) -> int:
    """How many plaques the user sees are 本年度待复查 (two counting queries; the same rule as `Plaque.due`)."""
    this_year = timezone.localdate().year
    total = 0
    for qs, revoked in ((village_plaques(user), "revocation"), (post_plaques(user), "plaque_revocation")):
        qs = qs.filter(**{f"{revoked}__isnull": True}, campaign__year__lt=this_year).exclude(plaque_reviews__year=this_year)
        total += qs.prefetch_related(None).select_related(None).count()
    return total


def rectifications_past_due(user) -> list[PlaqueReview]:
    """限期整改 reviews past their due date still without a follow-up conclusion, of plaques the user sees."""
    return list(
        PlaqueReview.objects.visible_to(user)
        .filter(conclusion=ReviewConclusion.RECTIFY, follow_up="", revocation__isnull=True, due_date__lt=timezone.localdate())
        .order_by("due_date")
    )


@transaction.atomic
def revoke_plaque(actor, target, reason: str, date: dt.date | None = None) -> Revocation:
    """摘牌: `target` is an approved VillageCandidate with a plaque or a commended Nomination with a certificate."""
    kind = VILLAGE if isinstance(target, VillageCandidate) else POST
    refuse_unless(may_revoke(actor, kind), "您无权摘牌。")
    model = type(target)
    target = model.objects.select_for_update(of=("self",)).select_related("campaign__town").get(pk=target.pk)
    field = "village" if kind == VILLAGE else "nomination"
    if Revocation.objects.filter(**{field: target}).exists():
        raise Conflict(["该牌匾已摘牌。"])
    awarded = target.plaque_no if kind == VILLAGE else target.certificate_no
    if not awarded:
        raise ActionError(["尚未授牌，无需摘牌。"])
    date = date or timezone.localdate()
    errors = []
    if not (reason or "").strip():
        errors.append("请写明摘牌原因。")
    if date > timezone.localdate():
        errors.append("摘牌日期不能晚于今天。")
    if errors:
        raise ActionError({"reason": errors})
    revocation = Revocation.objects.create(**{field: target}, date=date, reason=reason.strip(), revoked_by=actor)
    record(
        actor,
        VillageAudit.REVOKE,
        target,
        changes={"牌匾": [awarded, f"已摘牌（{date.isoformat()}）"]},
        note=reason.strip(),
        town=target.campaign.town,
    )
    return revocation


# --- the yearly re-review (年度复核) -----------------------------------------------------------------------------


def kind_of(target) -> str:
    return VILLAGE if isinstance(target, VillageCandidate) else POST


def may_review(user, kind: str) -> bool:
    """The town office of the plaque's town (the scope is the fetch's); a 示范岗's also the town approver, who
    may withdraw it; a 示范村's also the county reviewer, who decides on 示范村 and records the 授牌 (SPEC §1)."""
    if user.manages_town:
        return True
    return user.is_county_reviewer if kind == VILLAGE else user.may_approve


def _lock(target):
    return type(target).objects.select_for_update(of=("self",)).select_related("campaign__town").get(pk=target.pk)


def _revoked(target) -> bool:
    field = "village" if kind_of(target) == VILLAGE else "nomination"
    return Revocation.objects.filter(**{field: target}).exists()


def _reviews_of(target):
    field = "village" if kind_of(target) == VILLAGE else "nomination"
    return PlaqueReview.objects.filter(**{field: target})


def _awarded_on(target) -> dt.date | None:
    if kind_of(target) == VILLAGE:
        return target.plaque_date
    from apps.commendations.models import Commendation

    return Commendation.objects.filter(campaign_id=target.campaign_id).values_list("date", flat=True).first()


def review_blockers(actor, target) -> list[str]:
    """Why no review can be recorded for this plaque now (the page shows them instead of the form)."""
    if _revoked(target):
        return ["该牌匾已摘牌，不再复查。"]
    blockers = []
    if target.campaign.year >= timezone.localdate().year:
        blockers.append(f"{target.campaign.year}年度授予的牌匾，自下一年度起复查。")
    pending = _reviews_of(target).filter(conclusion=ReviewConclusion.RECTIFY, follow_up="").first()
    if pending:
        blockers.append(f"{pending.year}年度复查要求限期整改（期限 {pending.due_date:%Y-%m-%d}），请先记录整改复查结论。")
    return blockers


def review_errors(actor, target, data: dict) -> dict[str, list[str]]:
    """The rules of one review's fields, by field (a page puts each next to its input)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    today = timezone.localdate()
    award_year = target.campaign.year
    year, date, due = data.get("year"), data.get("date"), data.get("due_date")
    if not isinstance(year, int):
        add("year", "请填写复查年度（四位数字）。")
    else:
        if year <= award_year:
            add("year", f"复查年度须晚于授予年度（{award_year}年）。")
        if year > today.year:
            add("year", f"复查年度不能晚于本年度（{today.year}年）。")
        if _reviews_of(target).filter(year=year).exists():
            add("year", f"{year}年度已复查过该牌匾：每块牌匾每年复查一次。")
    if not isinstance(date, dt.date):
        add("date", "请填写复查日期。")
    else:
        if date > today:
            add("date", "复查日期不能晚于今天。")
        if isinstance(year, int) and date < dt.date(year, 1, 1):
            add("date", f"复查日期不能早于复查年度（{year}年1月1日）。")
        awarded = _awarded_on(target)
        if awarded and date < awarded:
            add("date", f"复查日期不能早于授予日期（{awarded:%Y-%m-%d}）。")
    if not (data.get("reviewers") or "").strip():
        add("reviewers", "请填写复查人员。")
    if not (data.get("findings") or "").strip():
        add("findings", "请填写复查情况。")
    conclusion = data.get("conclusion") or ""
    if conclusion not in ReviewConclusion.values:
        add("conclusion", "请选择复查结论：保留、限期整改或摘牌。")
    if conclusion == ReviewConclusion.RECTIFY:
        if not isinstance(due, dt.date):
            add("due_date", "限期整改须写明整改期限。")
        elif isinstance(date, dt.date) and due <= date:
            add("due_date", "整改期限应晚于复查日期。")
    return errors


@transaction.atomic
def record_review(actor, target, data: dict) -> PlaqueReview:
    """年度复核 of one plaque: `data` has year, date, reviewers, findings, conclusion and, for 限期整改, due_date.

    保留 and 限期整改 leave the plaque on the honour roll; 摘牌 withdraws it through `revoke_plaque` in this
    same transaction (its own audit row beside the review's)."""
    kind = kind_of(target)
    refuse_unless(may_review(actor, kind), "您无权复查该牌匾。")
    target = _lock(target)
    if _revoked(target):
        raise Conflict(["该牌匾已摘牌，不再复查。"])
    refuse(review_blockers(actor, target))
    conclusion = data.get("conclusion") or ""
    if conclusion == ReviewConclusion.REVOKE:
        refuse_unless(
            may_revoke(actor, kind),
            "示范村摘牌由县委组织部决定：请结论为“限期整改”并报县委组织部。"
            if kind == VILLAGE
            else "示范岗摘牌由镇党委决定：请结论为“限期整改”并报镇党委。",
        )
    refuse(review_errors(actor, target, data))
    review = PlaqueReview.objects.create(
        **{"village" if kind == VILLAGE else "nomination": target},
        year=data["year"],
        date=data["date"],
        reviewers=data["reviewers"].strip(),
        findings=data["findings"].strip(),
        conclusion=conclusion,
        due_date=data.get("due_date") if conclusion == ReviewConclusion.RECTIFY else None,
        recorded_by=actor,
    )
    outcome = review.get_conclusion_display()
    if review.due_date:
        outcome += f"（整改期限 {review.due_date:%Y-%m-%d}）"
    record(
        actor,
        VillageAudit.REVIEW,
        target,
        changes={f"{review.year}年度复查": ["", outcome], "复查人员": ["", review.reviewers]},
        note=review.findings,
        town=target.campaign.town,
    )
    if conclusion == ReviewConclusion.REVOKE:
        review.revocation = revoke_plaque(actor, target, review.findings, review.date)
        review.save(update_fields=["revocation"])
    return review


def follow_up_errors(actor, review: PlaqueReview, data: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if (data.get("outcome") or "") not in FollowUpOutcome.values:
        errors["outcome"] = ["请选择整改复查结论：整改到位保留，或整改不到位摘牌。"]
    date = data.get("date")
    if not isinstance(date, dt.date):
        errors["date"] = ["请填写整改复查日期。"]
    elif date > timezone.localdate():
        errors["date"] = ["整改复查日期不能晚于今天。"]
    elif date < review.date:
        errors["date"] = [f"整改复查日期不能早于复查日期（{review.date:%Y-%m-%d}）。"]
    if not (data.get("note") or "").strip():
        errors["note"] = ["请写明整改情况。"]
    return errors


@transaction.atomic
def follow_up_review(actor, review: PlaqueReview, data: dict) -> PlaqueReview:
    """The follow-up of a 限期整改: `data` has outcome (keep / revoke), date and note. Not rectified → 摘牌 through
    `revoke_plaque`, with the note as its reason."""
    target = review.village if review.village_id else review.nomination
    kind = kind_of(target)
    refuse_unless(may_review(actor, kind), "您无权记录整改复查结论。")
    target = _lock(target)
    review = PlaqueReview.objects.select_for_update().get(pk=review.pk)
    if review.conclusion != ReviewConclusion.RECTIFY:
        raise ActionError(["只有结论为“限期整改”的复查才需要整改复查结论。"])
    if review.follow_up:
        raise Conflict([f"已记录整改复查结论（{review.get_follow_up_display()}）。"])
    if _revoked(target):
        raise Conflict(["该牌匾已摘牌。"])
    outcome = data.get("outcome") or ""
    if outcome == FollowUpOutcome.REVOKE:
        refuse_unless(may_revoke(actor, kind), "示范村摘牌由县委组织部决定。" if kind == VILLAGE else "示范岗摘牌由镇党委决定。")
    refuse(follow_up_errors(actor, review, data))
    review.follow_up, review.follow_up_date = outcome, data["date"]
    review.follow_up_note, review.follow_up_by = data["note"].strip(), actor
    review.save(update_fields=["follow_up", "follow_up_date", "follow_up_note", "follow_up_by"])
    record(
        actor,
        VillageAudit.FOLLOW_UP,
        target,
        changes={f"{review.year}年度限期整改": ["限期整改", review.get_follow_up_display()]},
        note=review.follow_up_note,
        town=target.campaign.town,
    )
    if outcome == FollowUpOutcome.REVOKE:
        review.revocation = revoke_plaque(actor, target, review.follow_up_note, review.follow_up_date)
        review.save(update_fields=["revocation"])
    return review
