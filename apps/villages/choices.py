"""States of a candidate 示范村 (SPEC §3 "Procedure of a 示范村"), with Chinese labels and badge colours."""

from apps.core.choices import ChoiceSet, coloured


@coloured(DESIGNATED="blue", INSPECTED="orange", FINALIZED="blue", REPORTED="orange", APPROVED="red", NOT_APPROVED="grey")
class VillageStatus(ChoiceSet):
    DESIGNATED = "designated", "镇党委已确定候选"
    INSPECTED = "inspected", "督查组考察中"
    FINALIZED = "finalized", "考察已定稿"
    REPORTED = "reported", "已报县委组织部"
    APPROVED = "approved", "县委组织部已批准"
    NOT_APPROVED = "not_approved", "县委组织部未批准"


@coloured(RECOMMEND="green", NOT_YET="orange")
class Conclusion(ChoiceSet):
    RECOMMEND = "recommend", "建议命名为示范村"
    NOT_YET = "not_yet", "暂不具备条件"


# Statuses in which the inspection may still be written by its group.
OPEN_STATUSES = (VillageStatus.DESIGNATED, VillageStatus.INSPECTED)
# Statuses the county sees.
REPORTED_STATUSES = (VillageStatus.REPORTED, VillageStatus.APPROVED, VillageStatus.NOT_APPROVED)


@coloured(KEEP="green", RECTIFY="orange", REVOKE="grey")
class ReviewConclusion(ChoiceSet):
    """The conclusion of a plaque's yearly re-review (年度复核)."""

    KEEP = "keep", "保留"
    RECTIFY = "rectify", "限期整改"
    REVOKE = "revoke", "摘牌"


@coloured(KEEP="green", REVOKE="grey")
class FollowUpOutcome(ChoiceSet):
    """After 限期整改: rectified (the plaque stays) or not (摘牌)."""

    KEEP = "keep", "整改到位，保留"
    REVOKE = "revoke", "整改不到位，摘牌"
