"""Pure rules of the branch meeting and its ballot (SPEC §3), free of the database so tests call them directly.

- quorum: present voters > quorum % of expected voters (exact decimals);
- eligibility of a 示范岗 candidate: every refusal a Chinese reason;
- paper tally consistency and the comparison of the two tellers' entries;
- the outcome of a round: passed (> half of present voters), recommended up to the places, a tie across
  the line (then a run-off among the tied for the places left).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from apps.core.numbers import plain
from apps.orgs.choices import PASSING_GRADES, Category, Grade, MemberStatus

# --- quorum -----------------------------------------------------------------------------------------------------


def is_quorate(present: int, expected: int, percent: Decimal | int | str) -> bool:
    """Valid only if present voters exceed `percent`% of expected voters ("超过半数" at 50: 5 of 10 is not enough)."""
    if expected <= 0:
        return False
    return Decimal(present) * 100 > Decimal(expected) * Decimal(str(percent))


def quorum_text(present: int, expected: int, percent: Decimal | int | str) -> str:
    pct = plain(Decimal(str(percent)))
    need = Decimal(expected) * Decimal(str(percent)) / 100
    verdict = "达到" if is_quorate(present, expected, percent) else "未达到"
    return f"实到有表决权党员 {present} 人，应到 {expected} 人，须超过 {pct}%（{plain(need)} 人）：{verdict}法定人数"


# --- eligibility ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    blockers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing_appraisal: bool = False

    @property
    def eligible(self) -> bool:
        return not self.blockers


def candidate_eligibility(
    *,
    name: str,
    status: str,
    category: str,
    in_branch: bool,
    admit_probationary: bool,
    appraisal_year: int,
    grade: str | None,
    in_sanction: bool,
    candidate_elsewhere: str | None,
    confirm_missing_appraisal: bool = False,
) -> Eligibility:
    """Why `name` may not be a candidate (blockers), and what the branch must know (warnings).

    `candidate_elsewhere`: where the member already stands in this campaign (a branch name), or None."""
    blockers: list[str] = []
    warnings: list[str] = []
    if not in_branch:
        blockers.append(f"{name}不是本支部党员，不能作为本支部候选人。")
    if status != MemberStatus.ACTIVE:
        blockers.append(f"{name}不在册（{MemberStatus(status).label}），不能作为候选人。")
    if category != Category.FORMAL and not admit_probationary:
        blockers.append(f"{name}是预备党员，本年度示范行动未允许预备党员参评。")
    missing = grade is None
    if missing:
        if confirm_missing_appraisal:
            warnings.append(f"{name}缺少{appraisal_year}年度民主评议结果（支部已确认）。")
        else:
            blockers.append(f"{name}缺少{appraisal_year}年度民主评议结果，须支部确认后方可列为候选人。")
    elif grade not in PASSING_GRADES:
        blockers.append(f"{name}{appraisal_year}年度民主评议为“{Grade(grade).label}”，须为合格及以上。")
    if in_sanction:
        blockers.append(f"{name}处于党纪处分影响期内，不能作为候选人。")
    if candidate_elsewhere:
        blockers.append(f"{name}已是本年度示范行动的候选人（{candidate_elsewhere}），每次示范行动只能被推荐一次。")
    return Eligibility(blockers=blockers, warnings=warnings, missing_appraisal=missing)


def in_sanction_period(start: dt.date | None, end: dt.date | None, *days: dt.date) -> bool:
    """Whether any of `days` falls within the sanction period [start, end] (open-ended without end)."""
    if start is None:
        return False
    return any(start <= d and (end is None or d <= end) for d in days)


# --- ballot codes -----------------------------------------------------------------------------------------------

# Crockford's base32: no I, L, O, U, so a code typed from a paper slip is hard to get wrong.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_CHARS = 26  # 26 × 5 = 130 random bits
CODE_GROUPS = (5, 5, 5, 5, 6)
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_code() -> str:
    """A fresh ballot code (≥128 random bits from `secrets`), in groups for typing: ABCDE-FGHJK-…."""
    n = secrets.randbits(CODE_CHARS * 5)
    chars = "".join(ALPHABET[(n >> (5 * i)) & 31] for i in range(CODE_CHARS))
    out, i = [], 0
    for g in CODE_GROUPS:
        out.append(chars[i : i + g])
        i += g
    return "-".join(out)


def normalize_code(text: str) -> str:
    """What the voter typed → the canonical code: no spaces or dashes, upper case, look-alikes mapped."""
    return "".join(ch for ch in str(text).upper().translate(_TYPO) if ch in ALPHABET)


def code_digest(text: str) -> str:
    return hashlib.sha256(normalize_code(text).encode()).hexdigest()


# --- ballots ----------------------------------------------------------------------------------------------------


def choice_errors(choices: list, allowed: set[int], max_choices: int) -> list[str]:
    """Why a ballot's choices are refused: too many, unknown or repeated candidates."""
    errors = []
    if len(choices) > max_choices:
        errors.append(f"最多可选 {max_choices} 人，您选了 {len(choices)} 人。")
    if len(set(choices)) != len(choices):
        errors.append("同一候选人不能重复选择。")
    unknown = [c for c in choices if c not in allowed]
    if unknown:
        errors.append("选择了不在本轮候选人名单中的人选。")
    return errors


# --- paper tally ------------------------------------------------------------------------------------------------

TALLY_FIELDS = {"issued": "发出选票", "returned": "收回选票", "valid": "有效票", "invalid": "无效票"}


def tally_errors(
    *,
    present_voters: int,
    max_choices: int,
    candidate_ids: set[int],
    issued: int,
    returned: int,
    valid: int,
    invalid: int,
    votes: dict[int, int],
    names: dict[int, str] | None = None,
) -> list[str]:
    """Consistency of one teller's entry (SPEC §3): returned ≤ issued ≤ present voters, valid + invalid =
    returned, no candidate above valid, total ≤ valid × max choices."""
    names = names or {}
    errors = []
    numbers = {"issued": issued, "returned": returned, "valid": valid, "invalid": invalid}
    for key, label in TALLY_FIELDS.items():
        if numbers[key] < 0:
            errors.append(f"{label}不能为负数。")
    if issued > present_voters:
        errors.append(f"发出选票 {issued} 张，多于实到有表决权党员 {present_voters} 人。")
    if returned > issued:
        errors.append(f"收回选票 {returned} 张，多于发出选票 {issued} 张，本次投票无效。")
    if valid + invalid != returned:
        errors.append(f"有效票 {valid} + 无效票 {invalid} = {valid + invalid}，不等于收回选票 {returned} 张。")
    unknown = [c for c in votes if c not in candidate_ids]
    if unknown:
        errors.append("得票中有不在本轮候选人名单中的人选：" + "、".join(str(c) for c in unknown) + "。")
    for cid, n in votes.items():
        if n < 0:
            errors.append(f"{names.get(cid, cid)}的得票不能为负数。")
        elif n > valid:
            errors.append(f"{names.get(cid, cid)}得 {n} 票，多于有效票 {valid} 张。")
    total = sum(n for n in votes.values() if n > 0)
    if total > valid * max_choices:
        errors.append(f"得票合计 {total} 票，多于有效票 {valid} 张 × 每票最多 {max_choices} 人 = {valid * max_choices} 票。")
    return errors


def tally_differences(a: dict, b: dict, names: dict[int, str] | None = None) -> list[str]:
    """The fields where two tellers' entries differ, in Chinese: "有效票（计票人 30，监票人 31）"."""
    names = names or {}
    out = []
    for key, label in TALLY_FIELDS.items():
        if a[key] != b[key]:
            out.append(f"{label}（计票人 {a[key]}，监票人 {b[key]}）")
    for cid in sorted(set(a["votes"]) | set(b["votes"])):
        x, y = a["votes"].get(cid, 0), b["votes"].get(cid, 0)
        if x != y:
            out.append(f"{names.get(cid, cid)}得票（计票人 {x}，监票人 {y}）")
    return out


# --- outcome of a round -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    passed: list[int]  # candidate ids with votes > half of present voters, by votes descending
    recommended: list[int]
    tie: list[int]  # passed candidates tied across the line: a run-off decides among them


def passes(votes: int, present_voters: int) -> bool:
    """More than half of present voters (a strict majority: 5 of 10 is not enough)."""
    return votes * 2 > present_voters


def decide(votes: dict[int, int], present_voters: int, places: int) -> Outcome:
    """Who is recommended in this round, for `places` places, and who is tied across the line."""
    passed = sorted((c for c, v in votes.items() if passes(v, present_voters)), key=lambda c: (-votes[c], c))
    if len(passed) <= places:
        return Outcome(passed=passed, recommended=passed, tie=[])
    line = votes[passed[places - 1]] if places > 0 else None
    if places > 0 and votes[passed[places]] != line:
        return Outcome(passed=passed, recommended=passed[:places], tie=[])
    if places == 0:
        return Outcome(passed=passed, recommended=[], tie=[])
    above = [c for c in passed if votes[c] > line]
    tie = [c for c in passed if votes[c] == line]
    return Outcome(passed=passed, recommended=above, tie=tie)
