"""Builders for the 示范村 tests: a campaign whose quota admits the world's villages, a group, an inspection."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.accounts.models import Role
from apps.campaigns.models import Campaign
from apps.core import clock
from apps.villages import actions
from apps.villages.models import VillageCandidate

from . import factories as f


def roomy(campaign: Campaign, percent: int = 100) -> Campaign:
    """Let the campaign's village quota admit every village of the town (the world has two: 20% → 0)."""
    Campaign.objects.filter(pk=campaign.pk).update(village_quota_percent=Decimal(percent))
    campaign.refresh_from_db()
    return campaign


def designated(w, *orgs) -> list[VillageCandidate]:
    roomy(w.campaign)
    return actions.designate_villages(w.office, w.campaign, list(orgs) or [w.village, w.village2])


def second_inspector(w):
    if not hasattr(w, "inspector2"):
        w.inspector2 = f.user("inspector2", Role.INSPECTOR, w.town)
    return w.inspector2


def grouped(w) -> VillageCandidate:
    """东岭村 assigned to the group of `w.inspector`, 南坑村 to the group of a second inspector."""
    existing = VillageCandidate.objects.filter(campaign=w.campaign, org=w.village, group__isnull=False).first()
    if existing:
        return existing
    one, two = designated(w)
    actions.form_group(
        w.office,
        w.campaign,
        {"name": "第一督查组", "leader_user_id": w.inspector.pk, "member_user_ids": [], "village_candidate_ids": [one.pk]},
    )
    other = second_inspector(w)
    actions.form_group(
        w.office, w.campaign, {"name": "第二督查组", "leader_user_id": other.pk, "member_user_ids": [], "village_candidate_ids": [two.pk]}
    )
    w.candidate, w.candidate2 = one, two
    return VillageCandidate.objects.get(pk=one.pk)


def inspection_data(w, conclusion: str = "recommend") -> dict:
    return {
        "visit_dates": [(clock.today() - dt.timedelta(days=2)).isoformat()],
        "people_met": "村两委班子成员、党员代表 6 人",
        "findings": [{"criterion_order": c.order, "text": f"{c.title}落实较好", "score": 18} for c in actions.village_criteria(w.campaign)],
        "conclusion": conclusion,
        "signatures": "测试组长 2026-05-20",
    }


def inspected(w, conclusion: str = "recommend") -> VillageCandidate:
    candidate = grouped(w)
    actions.save_inspection(w.inspector, candidate, inspection_data(w, conclusion))
    return VillageCandidate.objects.get(pk=candidate.pk)


def finalized(w, conclusion: str = "recommend") -> VillageCandidate:
    candidate = inspected(w, conclusion)
    actions.finalize_inspection(w.inspector, candidate)
    return VillageCandidate.objects.get(pk=candidate.pk)


def reported(w) -> VillageCandidate:
    candidate = finalized(w)
    actions.report_villages(w.office, w.campaign)
    return VillageCandidate.objects.get(pk=candidate.pk)


def image_bytes(fmt: str = "JPEG", *, gps: bool = False, size=(40, 30)) -> bytes:
    img = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "TestCam"  # Make
        exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 5.0, 0.0)}  # GPSInfo
        kwargs["exif"] = exif
    img.save(out, format=fmt, **kwargs)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_evidence(candidate: VillageCandidate, name: str = "现场.png"):
    """An evidence row whose file exists in the default storage (one small shared file, for the page matrix)."""
    from django.core.files.storage import default_storage

    from apps.villages.models import Evidence

    path = "village-evidence/tests/scope-row.png"
    if not default_storage.exists(path):
        default_storage.save(path, io.BytesIO(image_bytes("PNG")))
    return Evidence.objects.create(candidate=candidate, file=path, name=name, content_type="image/png", size=len(image_bytes("PNG")))


def plaqued(w) -> VillageCandidate:
    """东岭村 approved by the county with the plaque SFC-1."""

    candidate = reported(w)
    return actions.decide_village(w.county_user, candidate, True, clock.today(), "同意", plaque_no="SFC-1")


def commended_post(w):
    """A 示范岗 nomination of 东岭村 with its certificate (the commendation itself is the commendations app's)."""
    from django.utils import timezone

    from apps.nominations.models import Nomination

    from .build_nominations import submitted

    nomination = submitted(w.secretary, w.campaign, w.village, recommended=1).nominations.get()
    Nomination.objects.filter(pk=nomination.pk).update(status="commended", certificate_no="东岭镇-2026-001", listed_at=timezone.now())
    return Nomination.objects.get(pk=nomination.pk)


def awarded_last_year(w):
    """东岭村's plaque SFC-1 and its 示范岗 certificate, both of last year's campaign (due for review this year)."""
    import datetime as _dt

    roomy(w.campaign)
    village = plaqued(w)
    post = commended_post(w)
    last = clock.today().year - 1
    Campaign.objects.filter(pk=w.campaign.pk).update(year=last, appraisal_year=last - 1, deadline=_dt.date(last, 12, 15))
    VillageCandidate.objects.filter(pk=village.pk).update(decision_date=_dt.date(last, 12, 20), plaque_date=_dt.date(last, 12, 20))
    w.campaign.refresh_from_db()
    village.refresh_from_db()
    post.refresh_from_db()
    return village, post


def review_data(**kw) -> dict:
    """A valid yearly review of this year that keeps the plaque."""
    from django.utils import timezone

    today = timezone.localdate()
    return {
        "year": today.year,
        "date": today,
        "reviewers": "测试复查组 张三、李四",
        "findings": "阵地完好，制度落实。",
        "conclusion": "keep",
    } | kw
