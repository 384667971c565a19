"""States of a 示范岗 nomination (API.md enum values), with Chinese labels and badge colours."""

from apps.core.choices import ChoiceSet, coloured


@coloured(DRAFT="grey", SUBMITTED="blue", RETURNED="orange", APPROVED="green", LISTED="green", WITHDRAWN="grey", COMMENDED="red")
class NominationStatus(ChoiceSet):
    DRAFT = "draft", "支部拟推荐"
    SUBMITTED = "submitted", "已报镇党委"
    RETURNED = "returned", "已退回支部"
    APPROVED = "approved", "镇党委已审批"
    LISTED = "listed", "已列入参评名单"
    WITHDRAWN = "withdrawn", "已撤销"
    COMMENDED = "commended", "已表彰"


class Decision(ChoiceSet):
    APPROVE = "approve", "同意"
    RETURN = "return", "退回"
