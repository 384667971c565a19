"""The rules of member records and appraisals, each written once.

The forms, the actions, the roster import and the API call these same functions, so a rule can't hold
on one path and not on another. Each returns Chinese reasons (empty when the rule holds); actions raise
them as `ActionError`, forms show them next to the field, the import lists them for the row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from apps.core import clock
from apps.core.idcard import parse_id

from .choices import Category, Grade, MemberStatus, OrgLevel
from .models import Member

FIRST_APPRAISAL_YEAR = 1990
BASIC_ORG_ONLY = "党员须编入基层党组织（党支部、党总支或村党委）。"


def last_appraisal_year() -> int:
    """A year's 民主评议 can be recorded from that year on (never for a year to come)."""
    return clock.today().year


def appraisal_year_errors(year: int | None) -> list[str]:
    if year is None or not FIRST_APPRAISAL_YEAR <= year <= last_appraisal_year():
        return [f"评议年度应在 {FIRST_APPRAISAL_YEAR} 至 {last_appraisal_year()} 之间。"]
    return []


def validate_appraisal_year(year: int | None) -> None:
    """The rule as a form field validator."""
    if year is not None and (reasons := appraisal_year_errors(year)):
        raise ValidationError(reasons)


def grade_errors(grade: str | None) -> list[str]:
    if grade not in Grade.values:
        return ["评议等次无效，应为优秀、合格、基本合格或不合格。"]
    return []


def appraisal_errors(year: int | None, grades: list[str]) -> dict[str, list[str]]:
    """A year and the grades recorded for it."""
    errors: dict[str, list[str]] = {}
    if reasons := appraisal_year_errors(year):
        errors["year"] = reasons
    if reasons := next((grade_errors(g) for g in grades if grade_errors(g)), []):
        errors["grade"] = reasons
    return errors


def category_errors(category: str | None, joined_on: dt.date | None, confirmed_on: dt.date | None) -> list[str]:
    """正式党员 and 预备党员 and the date of 转正: a probationary member has none yet; a full member's is
    not before the 入党日期. A full member's missing 转正日期 is missing data, not wrong data (older
    rosters and synced records often lack it; API.md makes it optional): it is accepted everywhere."""
    if category == Category.PROBATIONARY and confirmed_on:
        return ["预备党员不应有转正日期。"]
    if joined_on and confirmed_on and confirmed_on < joined_on:
        return ["转正日期不能早于入党日期。"]
    return []


def member_rule_errors(data: dict[str, Any], *, exclude_pk: int | None = None, check_clash: bool = True) -> dict[str, list[str]]:
    """Rules every member record obeys, whatever path it comes in by (form, import, command, API).

    Besides returning the errors it completes `data` in place: the normalized ID number, and the birth
    date and gender taken from the ID when they were left blank. Callers save from `data` afterwards.

    An import checks thousands of rows at once: it passes check_clash=False and looks up the
    active members with the same ID numbers in one query of its own."""
    errors: dict[str, list[str]] = {}
    try:
        info = parse_id(data.get("id_number"))
    except ValidationError as exc:
        errors["id_number"] = exc.messages
        return errors
    data["id_number"] = info.number
    if data.get("birth_date") and data["birth_date"] != info.birth_date:
        errors.setdefault("birth_date", []).append(f"出生日期与身份证号不一致：身份证号显示为 {info.birth_date:%Y-%m-%d}。")
    if data.get("gender") and data["gender"] != info.gender:
        errors.setdefault("gender", []).append(f"性别与身份证号不一致：身份证号显示为{info.gender}。")
    if not data.get("birth_date"):
        data["birth_date"] = info.birth_date
    if not data.get("gender"):
        data["gender"] = info.gender
    if check_clash and data.get("status", MemberStatus.ACTIVE) == MemberStatus.ACTIVE:
        clash = Member.objects.filter(id_number=info.number, status=MemberStatus.ACTIVE)
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        other = clash.select_related("branch").first()
        if other is not None:
            errors.setdefault("id_number", []).append(f"该身份证号已登记为在册党员（{other.branch}）。")
    joined, confirmed = data.get("joined_on"), data.get("confirmed_on")
    if joined and joined < info.birth_date:
        errors.setdefault("joined_on", []).append("入党日期不能早于出生日期。")
    if joined and joined > clock.today():
        errors.setdefault("joined_on", []).append("入党日期不能晚于今天。")
    if reasons := category_errors(data.get("category", Category.FORMAL), joined, confirmed):
        errors.setdefault("confirmed_on", []).extend(reasons)
    start, end = data.get("sanction_start"), data.get("sanction_end")
    if end and not start:
        errors.setdefault("sanction_start", []).append("填写处分期结束日期时须填写开始日期。")
    if start and end and end < start:
        errors.setdefault("sanction_end", []).append("处分期结束日期不能早于开始日期。")
    branch = data.get("branch")
    if branch is not None and branch.level in (OrgLevel.COUNTY, OrgLevel.TOWN):
        errors.setdefault("branch", []).append(BASIC_ORG_ONLY)
    return errors
