"""The pure rules of the branch meeting (apps/meetings/rules.py): quorum, eligibility, codes, tally, outcome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from apps.meetings import rules
from apps.orgs.choices import Category, Grade, MemberStatus


def test_quorum_is_strictly_more_than_the_percent():
    assert not rules.is_quorate(5, 10, 50)  # exactly half is not enough
    assert rules.is_quorate(6, 10, 50)
    assert not rules.is_quorate(0, 0, 50)
    assert rules.is_quorate(7, 10, Decimal("66.66"))
    assert not rules.is_quorate(2, 3, Decimal("66.67"))
    assert "未达到" in rules.quorum_text(5, 10, 50) and "5 人" in rules.quorum_text(5, 10, 50)


@given(st.integers(0, 500), st.integers(1, 500), st.decimals("1", "100", places=2))
def test_quorum_matches_exact_arithmetic(present, expected, percent):
    assert rules.is_quorate(present, expected, percent) == (present / expected * 100 > percent)


ELIGIBLE = {
    "name": "张三",
    "status": MemberStatus.ACTIVE,
    "category": Category.FORMAL,
    "in_branch": True,
    "admit_probationary": False,
    "appraisal_year": 2025,
    "grade": Grade.QUALIFIED,
    "in_sanction": False,
    "candidate_elsewhere": None,
}


def test_an_eligible_member_has_no_blockers():
    assert rules.candidate_eligibility(**ELIGIBLE).eligible
    assert rules.candidate_eligibility(**(ELIGIBLE | {"grade": Grade.EXCELLENT})).eligible


def test_each_eligibility_reason():
    cases = {
        "不是本支部党员": {"in_branch": False},
        "不在册（转出）": {"status": MemberStatus.TRANSFERRED},
        "预备党员": {"category": Category.PROBATIONARY},
        "“基本合格”": {"grade": Grade.BASIC},
        "“不合格”": {"grade": Grade.UNQUALIFIED},
        "处分影响期": {"in_sanction": True},
        "已是本年度示范行动的候选人（南坑村党支部）": {"candidate_elsewhere": "南坑村党支部"},
        "缺少2025年度民主评议结果，须支部确认": {"grade": None},
    }
    for reason, change in cases.items():
        verdict = rules.candidate_eligibility(**(ELIGIBLE | change))
        assert not verdict.eligible, reason
        assert len(verdict.blockers) == 1 and reason in verdict.blockers[0], (reason, verdict.blockers)


def test_probationary_admitted_by_the_campaign():
    assert rules.candidate_eligibility(**(ELIGIBLE | {"category": Category.PROBATIONARY, "admit_probationary": True})).eligible


def test_missing_appraisal_confirmed_is_a_warning():
    verdict = rules.candidate_eligibility(**(ELIGIBLE | {"grade": None, "confirm_missing_appraisal": True}))
    assert verdict.eligible and verdict.missing_appraisal
    assert "已确认" in verdict.warnings[0]


def test_sanction_period():
    start, end = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    assert rules.in_sanction_period(start, end, dt.date(2026, 6, 30))
    assert not rules.in_sanction_period(start, end, dt.date(2026, 7, 1))
    assert rules.in_sanction_period(start, None, dt.date(2030, 1, 1))
    assert not rules.in_sanction_period(None, None, dt.date(2026, 3, 1))


def test_codes_are_long_random_and_typo_tolerant():
    codes = {rules.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    code = codes.pop()
    assert len(rules.normalize_code(code)) == 26  # 130 bits
    assert rules.code_digest(code) == rules.code_digest(" " + code.lower().replace("-", " ").replace("0", "o") + " ")
    assert len(rules.code_digest(code)) == 64 and code not in rules.code_digest(code)


def test_choice_errors():
    allowed = {1, 2, 3}
    assert rules.choice_errors([], allowed, 2) == []
    assert rules.choice_errors([1, 2], allowed, 2) == []
    assert "最多可选 2 人" in rules.choice_errors([1, 2, 3], allowed, 2)[0]
    assert "重复" in rules.choice_errors([1, 1], allowed, 2)[0]
    assert "不在本轮候选人" in rules.choice_errors([9], allowed, 2)[0]


GOOD = {"present_voters": 20, "max_choices": 2, "candidate_ids": {1, 2, 3}, "issued": 20, "returned": 19, "valid": 18, "invalid": 1}


def test_a_consistent_tally():
    assert rules.tally_errors(**GOOD, votes={1: 18, 2: 10, 3: 8}) == []


def test_tally_inconsistencies_each_named():
    cases = {
        "多于实到有表决权党员 20 人": {"issued": 21, "returned": 19},
        "多于发出选票 20 张": {"returned": 21, "valid": 20},
        "不等于收回选票 19 张": {"invalid": 0},
        "多于有效票 18 张": {"votes": {1: 19}},
        "得票合计 37 票，多于有效票 18 张 × 每票最多 2 人 = 36 票": {"votes": {1: 18, 2: 18, 3: 1}},
        "不在本轮候选人名单": {"votes": {7: 1}},
    }
    for reason, change in cases.items():
        data = GOOD | {"votes": {1: 1}} | change
        errors = rules.tally_errors(**data)
        assert any(reason in e for e in errors), (reason, errors)


def test_tally_differences_name_the_fields():
    a = {"issued": 20, "returned": 19, "valid": 18, "invalid": 1, "votes": {1: 10, 2: 5}}
    b = a | {"valid": 17, "invalid": 2, "votes": {1: 10, 2: 6}}
    diffs = rules.tally_differences(a, b, {2: "李四"})
    assert diffs == ["有效票（计票人 18，监票人 17）", "无效票（计票人 1，监票人 2）", "李四得票（计票人 5，监票人 6）"]
    assert rules.tally_differences(a, dict(a)) == []


def test_threshold_is_more_than_half_of_present_voters():
    assert not rules.passes(5, 10) and rules.passes(6, 10)
    assert not rules.passes(4, 9) and rules.passes(5, 9)
    out = rules.decide({1: 5, 2: 6}, present_voters=10, places=2)
    assert out.passed == [2] and out.recommended == [2] and out.tie == []


def test_top_by_votes_up_to_the_quota():
    out = rules.decide({1: 7, 2: 9, 3: 8, 4: 6}, present_voters=10, places=2)
    assert out.passed == [2, 3, 1, 4] and out.recommended == [2, 3] and out.tie == []


def test_tie_across_the_quota_line():
    out = rules.decide({1: 9, 2: 7, 3: 7, 4: 6}, present_voters=10, places=2)
    assert out.recommended == [1] and out.tie == [2, 3]
    # A tie above the line (both fit) is no tie.
    out = rules.decide({1: 8, 2: 8, 3: 6}, present_voters=10, places=2)
    assert out.recommended == [1, 2] and out.tie == []
    # Everyone tied for one place.
    out = rules.decide({1: 8, 2: 8, 3: 8}, present_voters=10, places=1)
    assert out.recommended == [] and out.tie == [1, 2, 3]


@given(st.dictionaries(st.integers(1, 30), st.integers(0, 40), max_size=12), st.integers(1, 40), st.integers(1, 6))
def test_outcome_invariants(votes, present, places):
    out = rules.decide(votes, present, places)
    assert len(out.recommended) <= places
    assert set(out.recommended) <= set(out.passed) and set(out.tie) <= set(out.passed)
    assert not set(out.recommended) & set(out.tie)
    assert all(votes[c] * 2 > present for c in out.passed)
    if out.tie:
        assert len(out.recommended) + len(out.tie) > places and len({votes[c] for c in out.tie}) == 1
        assert all(votes[r] > votes[out.tie[0]] for r in out.recommended)
    else:
        assert len(out.recommended) == min(places, len(out.passed))
