"""The plaque registry (beyond the plan): every awarded 示范村 plaque and 示范岗 certificate across campaigns, and
摘牌 — withdrawing one after a later review, with the date and the reason (audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.audit.log import record
from apps.core.actions import ActionError, Conflict, refuse_unless
from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination

from .audit import VillageAudit
from .choices import VillageStatus
from .models import Revocation, VillageCandidate

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
    revocation: Revoked | None
    pk: int

    @property
    def revoked(self) -> bool:
        return self.revocation is not None

    @property
    def awarded_text(self) -> str:
        return f"{self.awarded:%Y-%m-%d}" if self.awarded else "—"


@dataclass(frozen=True)
class Revoked:
    """The 摘牌 of a plaque (the date and the reason), read as plain values."""

    date: dt.date
    reason: str

    @property
    def date_text(self) -> str:
        return f"{self.date:%Y-%m-%d}"


def _revoked(date, reason) -> Revoked | None:
    return Revoked(date, reason) if date is not None else None


def may_revoke(user, kind: str) -> bool:
    """A 示范村 plaque is the county's (授牌); a 示范岗 certificate the town committee's (表彰)."""
    if user.is_admin_role:
        return True
    return user.is_county_reviewer if kind == VILLAGE else user.may_approve


def plaques(user, kind: str = "", year: int | None = None) -> list[Plaque]:
    """Every plaque and certificate the user may see, as plain values (one query per kind)."""
    rows: list[Plaque] = []
    if kind in ("", VILLAGE):
        villages = VillageCandidate.objects.visible_to(user).filter(status=VillageStatus.APPROVED).exclude(plaque_no="")
        if year:
            villages = villages.filter(campaign__year=year)
        for v in villages.values_list(
            "plaque_no",
            "campaign__year",
            "campaign__town__name",
            "org__name",
            "plaque_date",
            "revocation__date",
            "revocation__reason",
            "pk",
        ):
            rows.append(Plaque(VILLAGE, "共产党员示范村", v[0], v[1], v[2], v[3], v[3], v[4], _revoked(v[5], v[6]), v[7]))
    if kind in ("", POST):
        posts = Nomination.objects.visible_to(user).filter(status=NominationStatus.COMMENDED).exclude(certificate_no="")
        if year:
            posts = posts.filter(campaign__year=year)
        for n in posts.values_list(
            "certificate_no",
            "campaign__year",
            "campaign__town__name",
            "member__name",
            "org__name",
            "campaign__commendation__date",
            "plaque_revocation__date",
            "plaque_revocation__reason",
            "pk",
        ):
            rows.append(Plaque(POST, "共产党员示范岗", n[0], n[1], n[2], n[3], n[4], n[5], _revoked(n[6], n[7]), n[8]))
    return sorted(rows, key=lambda p: (-p.year, p.town, p.kind, p.number))


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
