"""Choice sets of the roster import, with Chinese labels and badge colours."""

from django.db import models


class ImportKind(models.TextChoices):
    MEMBERS = "members", "党员花名册"
    APPRAISALS = "appraisals", "民主评议结果"


class RowStatus(models.TextChoices):
    NEW = "new", "新增"
    CHANGED = "changed", "变更"
    UNCHANGED = "unchanged", "未变"
    ERROR = "error", "错误"
    SKIPPED = "skipped", "略过"


class BatchStatus(models.TextChoices):
    PREVIEW = "preview", "待确认"
    APPLIED = "applied", "已导入"
    CANCELLED = "cancelled", "已取消"
    EXPIRED = "expired", "已过期"


COLOURS = {
    RowStatus.NEW: "green",
    RowStatus.CHANGED: "blue",
    RowStatus.UNCHANGED: "grey",
    RowStatus.ERROR: "red",
    RowStatus.SKIPPED: "orange",
    BatchStatus.PREVIEW: "blue",
    BatchStatus.APPLIED: "green",
    BatchStatus.CANCELLED: "grey",
    BatchStatus.EXPIRED: "grey",
}
