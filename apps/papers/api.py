"""API: the papers (API.md "Papers and oversight"), PDF and Word, for whoever may see the object; the
public 公示 PDF without a token. The same builders and scope rules as the download pages (access.py)."""

from __future__ import annotations

from ninja import Router

from apps.workdays.api import ErrorOut, IsoDate

from . import access
from .render import CONTENT_TYPES, respond

router = Router(tags=["公文与表格"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
PUBLIC_ERRORS = {400: ErrorOut, 404: ErrorOut}


def _binary(fmt: str) -> dict:
    """The OpenAPI description of a file answer (ninja documents only JSON by itself)."""
    label = "PDF" if fmt == "pdf" else "Word（DOCX）"
    return {
        "responses": {"200": {"description": label, "content": {CONTENT_TYPES[fmt]: {"schema": {"type": "string", "format": "binary"}}}}}
    }


def _public_url(request):
    from django.urls import reverse

    return lambda notice: request.build_absolute_uri(reverse("notices:public_notice", args=[notice.public_id]))


def _operation(key: str, path: str, label: str, build, fmt: str) -> None:
    def view(request, id: int):
        return respond(key, build(request.auth, id), fmt)

    view.__name__ = f"{key}_{fmt}"
    router.get(path.format(fmt=fmt), response=ERRORS, summary=f"{label}（{fmt.upper()}）", openapi_extra=_binary(fmt))(view)


for _fmt in ("pdf", "docx"):
    _operation("application", "nominations/{{id}}/application.{fmt}", "共产党员示范岗申报表", access.application, _fmt)
    _operation("minutes", "meetings/{{id}}/minutes.{fmt}", "支部党员大会会议记录", access.minutes, _fmt)
    _operation("county_list", "campaigns/{{id}}/county-list.{fmt}", "镇参评名单", access.county_list, _fmt)
    _operation("commendation", "campaigns/{{id}}/commendation.{fmt}", "表彰决定", access.commendation, _fmt)
    _operation("village_report", "village-candidates/{{id}}/report.{fmt}", "示范村考察报告", access.village_report, _fmt)


@router.get("campaigns/{id}/bulletin.pdf", response=ERRORS, summary="督查通报（PDF）", openapi_extra=_binary("pdf"))
def bulletin_pdf(request, id: int, date: IsoDate | None = None):
    """The town's progress bulletin on `date` (default today): numbers, branches per step, the lagging
    branches and the open rectification items."""
    return respond("bulletin", access.bulletin(access.bulletin_campaign(request.auth, id), date), "pdf")


@router.get(
    "public/notices/{public_id}/notice.pdf",
    auth=None,
    response=PUBLIC_ERRORS,
    summary="公示（PDF，公开，无需令牌）",
    openapi_extra=_binary("pdf"),
)
def public_notice_pdf(request, public_id: str):
    """The posted 公示 with a QR code to its public page: names, organizations, posts and deeds only."""
    from .views import public_notice_pdf as page

    return page(request, public_id)
