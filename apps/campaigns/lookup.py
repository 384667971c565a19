"""The campaign a page works in: the one in its address (`campaign_for`) or the one the user works on now
(`current_campaign`), through the user's scope as `apps.core.fetch.fetch` reads it.

Almost every page starts here, and reading one campaign with its town through the scope costs ~0.8 ms of SQL
compiling and row building, more than the rest of a small page. Every change to a campaign is an action that writes
an audit row, so while the audit head stays the campaign is the one read under it: a request that only reads
(GET, HEAD) takes it from the shared cache, kept per user, campaign and audit head (`apps.audit.memo.fetch_kept`).
A request that may change something reads it afresh, so an action never starts from a kept copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from apps.audit.memo import fetch_kept, remember_on_read

from .models import Campaign


def campaign_for(
    request, pk, *, may: Callable[[object], bool] | None = None, denied: str = "您没有执行此操作的权限。", ahead: Iterable[str | None] = ()
) -> Campaign:
    """The campaign `pk` with its town: Http404 outside the user's scope, then PermissionDenied unless `may(user)`.
    `ahead`: the keys of the page's other kept values, read with the campaign in one cache read
    (apps.audit.memo.remember_on_read)."""
    return fetch_kept(request, "campaign", Campaign.objects.select_related("town"), pk=pk, may=may, denied=denied, ahead=ahead)


def current_campaign(request, ahead: Iterable[str | None] = ()) -> Campaign | None:
    """This year's campaign in the user's town, else the latest they can see (`CampaignQuerySet.current_for`).
    `ahead`: the keys of the page's other kept values, read with it in one cache read."""
    return remember_on_read(request, "current-campaign", lambda: Campaign.objects.current_for(request.user), ahead=ahead)
