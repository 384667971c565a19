"""Who may have which paper: every paper is built from an object fetched through `visible_to(user)` (404
outside the scope, 403 when the role may not read it), the same rules as the page that shows the object.
Used by the page views (views.py) and the API (api.py) alike."""

from __future__ import annotations

import io
import zipfile

from django.http import Http404

from apps.campaigns.models import Campaign
from apps.commendations.models import Commendation
from apps.core import clock
from apps.core.fetch import fetch
from apps.meetings.actions import may_view as may_view_meeting
from apps.meetings.models import Meeting
from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination, Proposal
from apps.notices.models import Notice
from apps.orgs.models import Organization

from . import content
from .document import Paper
from .parallel import render_pdfs


def may_see_county_list(user) -> bool:
    return user.may_approve or user.manages_town or user.is_county_reviewer


def may_print_certificates(user) -> bool:
    return user.may_approve or user.manages_town


def application(user, pk: int) -> Paper:
    return content.application(fetch(user, content.applications_queryset(Nomination.objects), pk=pk))


def minutes(user, pk: int) -> Paper:
    meeting = fetch(
        user, Meeting.objects.select_related("campaign__town", "org"), pk=pk, may=may_view_meeting, denied="您无权查看会议记录。"
    )
    return content.minutes(meeting)


def branch_list(user, pk: int) -> Paper:
    return content.branch_list(fetch(user, Proposal.objects.select_related("campaign__town", "org", "meeting"), pk=pk))


def _campaign(user, pk: int, **kw) -> Campaign:
    return fetch(user, Campaign.objects.select_related("town"), pk=pk, **kw)


def county_list(user, pk: int) -> Paper:
    campaign = _campaign(user, pk, may=may_see_county_list, denied="您无权查看参评名单。")
    listed = content.applications_queryset(Nomination.objects.visible_to(user).filter(campaign=campaign, listed_at__isnull=False))
    return content.county_list(campaign, listed)


def _decision(user, pk: int, **kw) -> Commendation:
    campaign = _campaign(user, pk, **kw)
    decision = Commendation.objects.visible_to(user).filter(campaign=campaign).select_related("campaign__town").first()
    if decision is None:
        raise Http404("未找到表彰决定：尚未作出表彰决定。")
    return decision


def commendation(user, pk: int) -> Paper:
    return content.commendation(_decision(user, pk))


def certificates(user, pk: int) -> Paper:
    return content.certificates(
        _decision(user, pk, may=may_print_certificates, denied="您无权打印荣誉证书：只有镇党建办和镇党委审批人员可以打印。")
    )


def notice(user, pk: int, public_url) -> Paper:
    """The 公示 for the town office (PDF to post, DOCX to edit); `public_url(notice)` → the QR code's target."""
    obj = fetch(
        user,
        Notice.objects.select_related("campaign__town"),
        pk=pk,
        may=lambda u: u.manages_town,
        denied="您无权下载可编辑的公示：只有镇党建办可以处理公示。",
    )
    return content.notice(obj, public_url(obj))


def public_notice(public_id: str, public_url) -> Paper:
    """The posted 公示 for anyone who knows its public address (it is on the board and online anyway)."""
    obj = Notice.objects.select_related("campaign__town").filter(public_id=public_id).first()
    if obj is None:
        raise Http404("未找到该公示。")
    return content.notice(obj, public_url(obj))


def village_report(user, pk: int) -> Paper:
    """The 示范村考察报告 for whoever may see the candidate village (its group, the town, the county, the branch)."""
    from apps.villages.models import VillageCandidate

    return content.village_report(fetch(user, VillageCandidate.objects.select_related("campaign__town", "org", "group"), pk=pk))


def may_see_bulletin(user) -> bool:
    return not user.is_inspector


def bulletin_campaign(user, pk: int) -> Campaign:
    """The campaign of a 督查通报, for those who may see the progress board (404 / 403 before anything else)."""
    return _campaign(user, pk, may=may_see_bulletin, denied="您无权查看督查通报：督查组成员只查看所负责的村。")


def bulletin(campaign: Campaign, day) -> Paper:
    """The 督查通报 of the campaign on `day` (today when None)."""

    return content.bulletin(campaign, day or clock.today())


# --- batches --------------------------------------------------------------------------------------------------------


def batch_nominations(user, campaign_pk: int, org_pk: int | None = None):
    """Every nomination of the campaign the user may see (a branch's, when `org_pk` is given), withdrawn ones
    left out: their 申报表 are not printed. 404 for a branch outside the scope."""
    campaign = _campaign(user, campaign_pk)
    qs = content.campaign_nominations(campaign, user).exclude(status=NominationStatus.WITHDRAWN)
    name = content.town_name(campaign)
    if org_pk is not None:
        org = fetch(user, Organization.objects, pk=org_pk)
        qs = qs.filter(org=org)
        name = org.name
    return campaign, name, list(qs)


def applications_zip(nominations) -> bytes:
    """A zip of one 申报表 PDF per nomination, named <序号>-<支部>-<姓名>.pdf."""
    out = io.BytesIO()
    bodies = render_pdfs([content.application(n) for n in nominations])
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:  # PDFs are compressed already
        for i, (nomination, body) in enumerate(zip(nominations, bodies, strict=True), start=1):
            zf.writestr(f"{i:03d}-{nomination.org.name}-{nomination.member.name}.pdf", body)
    return out.getvalue()
