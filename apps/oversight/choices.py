"""The steps of the 示范岗 procedure as the progress board shows them, with Chinese labels and badge colours."""

from apps.core.choices import ChoiceSet, coloured


@coloured(
    NO_MEETING="grey",
    MEETING="blue",
    ATTENDANCE="blue",
    VOTED="blue",
    PROPOSED="orange",
    RETURNED="orange",
    SUBMITTED="blue",
    APPROVED="green",
    LISTED="green",
    NOTICE="orange",
    NOTICED="green",
    COMMENDED="red",
    WITHDRAWN="grey",
    V_DESIGNATED="blue",
    V_INSPECTING="orange",
    V_FINALIZED="blue",
    V_REPORTED="orange",
    V_APPROVED="red",
    V_NOT_APPROVED="grey",
)
class Step(ChoiceSet):
    NO_MEETING = "no_meeting", "尚未登记党员大会"
    MEETING = "meeting", "已登记党员大会"
    ATTENDANCE = "attendance", "已签到"
    VOTED = "voted", "民主推荐已完成"
    PROPOSED = "proposed", "支委会已确定推荐对象"
    RETURNED = "returned", "镇党委退回"
    SUBMITTED = "submitted", "已报镇党委"
    APPROVED = "approved", "镇党委已审批同意"
    LISTED = "listed", "已列入参评名单"
    NOTICE = "notice", "公示中"
    NOTICED = "noticed", "公示期满"
    COMMENDED = "commended", "已表彰"
    WITHDRAWN = "withdrawn", "推荐对象均已撤销"
    # The rows of candidate villages (示范村, apps/villages) on the same board.
    V_DESIGNATED = "village_designated", "示范村：已确定候选"
    V_INSPECTING = "village_inspecting", "示范村：督查组考察中"
    V_FINALIZED = "village_finalized", "示范村：考察报告已定稿"
    V_REPORTED = "village_reported", "示范村：已报县委组织部"
    V_APPROVED = "village_approved", "示范村：县委组织部已批准"
    V_NOT_APPROVED = "village_not_approved", "示范村：县委组织部未批准"


# The order of the procedure (a returned proposal goes back before the submission).
ORDER = {
    step: i
    for i, step in enumerate(
        [
            Step.NO_MEETING,
            Step.MEETING,
            Step.ATTENDANCE,
            Step.VOTED,
            Step.PROPOSED,
            Step.RETURNED,
            Step.SUBMITTED,
            Step.APPROVED,
            Step.LISTED,
            Step.NOTICE,
            Step.NOTICED,
            Step.WITHDRAWN,
            Step.COMMENDED,
            Step.V_DESIGNATED,
            Step.V_INSPECTING,
            Step.V_FINALIZED,
            Step.V_REPORTED,
            Step.V_NOT_APPROVED,
            Step.V_APPROVED,
        ]
    )
}
VILLAGE_STEPS = frozenset(s for s in ORDER if s.value.startswith("village_"))
# Steps before the branch's submission: past the deadline (and without a running reopening) they are overdue.
NOT_SUBMITTED = frozenset({Step.NO_MEETING, Step.MEETING, Step.ATTENDANCE, Step.VOTED, Step.PROPOSED, Step.RETURNED})

# The board's columns: the procedure's milestones, each with the date it was reached.
COLUMNS = [
    ("meeting", "登记党员大会"),
    ("attendance", "签到/法定人数"),
    ("vote", "表决结束"),
    ("proposal", "支委会推荐"),
    ("submitted", "报送镇党委"),
    ("decision", "审批（同意/退回）"),
    ("listed", "列入参评名单"),
    ("notice", "公示"),
    ("commended", "表彰"),
]
