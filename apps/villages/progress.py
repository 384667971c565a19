"""The candidate villages' rows on the progress board (apps/oversight): one row per candidate village the
user may see, at its 示范村 step, with what comes next."""

from __future__ import annotations

from apps.oversight.choices import COLUMNS, Step
from apps.oversight.progress import Progress, ProgressRow, village_row_provider

from .choices import VillageStatus
from .models import VillageCandidate

STEPS = {
    VillageStatus.DESIGNATED: (Step.V_DESIGNATED, "督查组实地考察"),
    VillageStatus.INSPECTED: (Step.V_INSPECTING, "督查组完成考察并定稿考察报告"),
    VillageStatus.FINALIZED: (Step.V_FINALIZED, "镇党委报送县委组织部"),
    VillageStatus.REPORTED: (Step.V_REPORTED, "县委组织部审定"),
    VillageStatus.APPROVED: (Step.V_APPROVED, "授牌"),
    VillageStatus.NOT_APPROVED: (Step.V_NOT_APPROVED, "—"),
}


@village_row_provider
def village_rows(user, campaigns, on):
    by_pk = {c.pk: c for c in campaigns}
    if not by_pk:
        return []
    source = VillageCandidate.objects.all() if user is None else VillageCandidate.objects.visible_to(user)  # None: the system
    candidates = source.filter(campaign_id__in=by_pk).select_related("org").order_by("org__path")
    rows = []
    for candidate in candidates:
        step, upcoming = STEPS[candidate.status]
        cells = {key: "" for key, _ in COLUMNS}
        rows.append(
            ProgressRow(by_pk[candidate.campaign_id], candidate.org, Progress(step, step.label, upcoming, False, cells), kind="village")
        )
    return rows
