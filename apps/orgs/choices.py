"""Choice sets of organizations and members: Chinese labels, and badge colours where a badge shows them."""

from django.db import models

from apps.core.choices import ChoiceSet, coloured


class OrgLevel(models.TextChoices):
    COUNTY = "county", "县委"
    TOWN = "town", "镇党委"
    PARTY_COMMITTEE = "committee", "党委"
    GENERAL_BRANCH = "general", "党总支"
    BRANCH = "branch", "党支部"


class OrgKind(models.TextChoices):
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"
    ORGAN = "organ", "机关"
    ENTERPRISE = "enterprise", "企业"
    SCHOOL = "school", "学校"
    OTHER = "other", "其他"


class Gender(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


@coloured(FORMAL="red", PROBATIONARY="blue")
class Category(ChoiceSet):
    FORMAL = "formal", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


@coloured(ACTIVE="green", TRANSFERRED="grey", SUSPENDED="orange", DECEASED="grey")
class MemberStatus(ChoiceSet):
    ACTIVE = "active", "在册"
    TRANSFERRED = "transferred", "转出"
    SUSPENDED = "suspended", "停止党籍"
    DECEASED = "deceased", "去世"


@coloured(EXCELLENT="red", QUALIFIED="green", BASIC="orange", UNQUALIFIED="grey")
class Grade(ChoiceSet):
    EXCELLENT = "excellent", "优秀"
    QUALIFIED = "qualified", "合格"
    BASIC = "basic", "基本合格"
    UNQUALIFIED = "unqualified", "不合格"


class Education(models.TextChoices):
    POSTGRADUATE = "研究生", "研究生"
    UNIVERSITY = "大学本科", "大学本科"
    COLLEGE = "大学专科", "大学专科"
    TECHNICAL = "中专", "中专"
    HIGH = "高中", "高中"
    MIDDLE = "初中", "初中"
    PRIMARY = "小学及以下", "小学及以下"


# Grades that keep a member eligible for a 示范岗 (SPEC §3: at least 合格).
PASSING_GRADES = frozenset({Grade.EXCELLENT, Grade.QUALIFIED})
