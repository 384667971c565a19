"""Choice sets of the roster import, with Chinese labels and, where a badge shows them, colours."""

from apps.core.choices import ChoiceSet, coloured


class ImportKind(ChoiceSet):
    MEMBERS = "members", "党员花名册"
    APPRAISALS = "appraisals", "民主评议结果"


@coloured(NEW="green", CHANGED="blue", UNCHANGED="grey", ERROR="red", SKIPPED="orange")
class RowStatus(ChoiceSet):
    NEW = "new", "新增"
    CHANGED = "changed", "变更"
    UNCHANGED = "unchanged", "未变"
    ERROR = "error", "错误"
    SKIPPED = "skipped", "略过"


@coloured(PREVIEW="blue", APPLIED="green", CANCELLED="grey", EXPIRED="grey")
class BatchStatus(ChoiceSet):
    PREVIEW = "preview", "待确认"
    APPLIED = "applied", "已导入"
    CANCELLED = "cancelled", "已取消"
    EXPIRED = "expired", "已过期"
