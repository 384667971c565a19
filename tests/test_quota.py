"""Quotas (SPEC §3): exact decimals, "不超过" is floor, optionally at least one per branch; only 在册 正式党员 count."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.campaigns.live_quotas import branch_quotas, village_count, village_quota
from apps.campaigns.models import Campaign
from apps.campaigns.quota import AT_LEAST_ONE, FLOOR, compute_quota
from apps.orgs.choices import Category, MemberStatus, OrgKind, OrgLevel

from . import factories as f


@pytest.mark.parametrize(
    ("base", "percent", "rule", "value"),
    [
        (100, "29", FLOOR, 29),  # float arithmetic gives 100 * 0.29 = 28.999999999999996 → 28
        (100, Decimal("29.00"), FLOOR, 29),
        (100, 29, FLOOR, 29),
        (20, "15", FLOOR, 3),
        (9, "10", FLOOR, 0),
        (9, "10", AT_LEAST_ONE, 1),
        (0, "10", FLOOR, 0),
        (0, "10", AT_LEAST_ONE, 0),  # no formal members: nobody to nominate, even with "at least one"
        (37, "10", FLOOR, 3),
        (37, "10", AT_LEAST_ONE, 3),
        (10, "10", FLOOR, 1),  # exactly on the integer: not rounded down below it
        (57, "7", FLOOR, 3),  # 3.99
        (1000, "0.01", FLOOR, 0),
        (1000, "12.5", FLOOR, 125),
        (33, "100", FLOOR, 33),
    ],
)
def test_post_quota_is_floor_of_exact_product(base, percent, rule, value):
    assert compute_quota(base, percent, rule).value == value


def test_float_arithmetic_would_have_been_wrong():
    """The reason for Decimal: the obvious float formula loses a whole nominee at 29%."""
    assert math.floor(100 * 0.29) == 28
    assert compute_quota(100, "29").value == 29


@pytest.mark.parametrize(
    ("base", "percent", "rule", "text"),
    [
        (37, "10", FLOOR, "正式党员 37 人 × 10% = 3.7，不超过 → 3 人"),
        (100, "29", FLOOR, "正式党员 100 人 × 29% = 29，不超过 → 29 人"),
        (20, "15.00", FLOOR, "正式党员 20 人 × 15% = 3，不超过 → 3 人"),
        (40, "12.5", FLOOR, "正式党员 40 人 × 12.5% = 5，不超过 → 5 人"),
        (9, "10", AT_LEAST_ONE, "正式党员 9 人 × 10% = 0.9，不超过 → 0 人；按“每支部至少 1 名” → 1 人"),
        (0, "10", AT_LEAST_ONE, "正式党员 0 人 × 10% = 0，不超过 → 0 人"),
    ],
)
def test_explain_shows_the_arithmetic(base, percent, rule, text):
    assert compute_quota(base, percent, rule).explain() == text


@pytest.mark.parametrize(("base", "percent"), [(-1, "10"), (10, "-1"), (10, "100.01"), (10, "150")])
def test_impossible_inputs_are_refused(base, percent):
    with pytest.raises(ValueError):
        compute_quota(base, percent)


@pytest.mark.parametrize("rounding", [FLOOR, AT_LEAST_ONE])
@pytest.mark.parametrize(
    ("villages", "percent", "value", "text"), [(7, "20", 1, "村党组织 7 个 × 20% = 1.4，不超过 → 1 个"), (4, "20", 0, None)]
)
def test_village_quota_is_always_floor(world, rounding, villages, percent, value, text):
    """ "At least one" is a per-branch rule; the town's 示范村 quota stays "不高于"."""
    campaign = world.campaign
    campaign.rounding = rounding
    campaign.village_quota_percent = Decimal(percent)
    quota = campaign.village_quota(villages)
    assert quota.value == value
    if text:
        assert quota.explain() == text


# --- counting: only 在册 正式党员, only the town's own organizations ----------------------------------------------


@pytest.fixture
def crowded(world):
    """东岭村: 20 在册 正式党员 and plenty of people who must not count."""
    for i in range(19):  # + 张三 = 20
        f.member(world.village, f"正式{i}")
    for i in range(3):
        f.member(world.village, f"预备{i}", category=Category.PROBATIONARY)  # + 李四
    for status in (MemberStatus.TRANSFERRED, MemberStatus.SUSPENDED, MemberStatus.SUSPENDED, MemberStatus.DECEASED, MemberStatus.DECEASED):
        f.member(world.village, status=status)  # + 孙八 (转出)
    for i in range(9):  # + 王五 = 10
        f.member(world.village2, f"南坑{i}")
    Campaign.objects.filter(pk=world.campaign.pk).update(post_quota_percent=Decimal("15"))
    world.campaign.refresh_from_db()
    return world


def test_branch_quotas_count_only_active_formal_members(crowded):
    w = crowded
    quotas = {row.org.pk: row.quota for row in branch_quotas(w.campaign)}
    assert set(quotas) == {w.village.pk, w.village2.pk, w.organ.pk}  # not the town itself, not the other town's village
    assert (quotas[w.village.pk].base, quotas[w.village.pk].value) == (20, 3)
    assert (quotas[w.village2.pk].base, quotas[w.village2.pk].value) == (10, 1)
    assert (quotas[w.organ.pk].base, quotas[w.organ.pk].value) == (1, 0)


def quota_table(html: str) -> list[tuple[str, int, int]]:
    """The quota page's rows as the user reads them: (organization, formal members, quota)."""
    found = re.findall(r'<tr><td>([^<]+)</td><td class="num">(\d+)</td><td class="num"><b>(\d+)</b></td>', html)
    return [(name, int(base), int(value)) for name, base, value in found]


def test_quota_page_shows_each_branch_with_its_arithmetic(crowded, login):
    w = crowded
    response = login(w.office).get(f"/campaigns/{w.campaign.pk}/quotas/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "正式党员 20 人 × 15% = 3，不超过 → 3 人" in html
    assert "正式党员 10 人 × 15% = 1.5，不超过 → 1 人" in html
    assert "正式党员 1 人 × 15% = 0.15，不超过 → 0 人" in html
    assert w.far_village.name not in html
    assert [value for _, _, value in quota_table(html)] == [3, 1, 0]
    assert '<th>合计</th><th></th><th class="num">4</th>' in html


def test_quota_page_of_a_secretary_shows_only_its_branch(crowded, login):
    w = crowded
    response = login(w.secretary).get(f"/campaigns/{w.campaign.pk}/quotas/")
    assert response.status_code == 200
    assert [name for name, _, _ in quota_table(response.content.decode())] == [w.village.name]
    assert w.village2.name not in response.content.decode()


def test_at_least_one_is_shown_on_the_quota_page(crowded, login):
    w = crowded
    Campaign.objects.filter(pk=w.campaign.pk).update(rounding=AT_LEAST_ONE)
    html = login(w.office).get(f"/campaigns/{w.campaign.pk}/quotas/").content.decode()
    assert "正式党员 1 人 × 15% = 0.15，不超过 → 0 人；按“每支部至少 1 名” → 1 人" in html


def test_village_quota_counts_the_towns_active_village_organizations(world):
    w = world
    for name in ("甲村党支部", "乙村党支部", "丙村党支部"):
        f.org(name, w.town)
    f.org("丁村党委", w.town, level=OrgLevel.PARTY_COMMITTEE)
    gone = f.org("已撤并村党支部", w.town)
    gone.is_active = False
    gone.save()
    f.org("城东社区党支部", w.town, kind=OrgKind.COMMUNITY)
    f.org("西岭二村党支部", w.other_town)
    # 东岭村, 南坑村 + 甲 乙 丙 丁 = 6 villages
    assert village_count(w.campaign) == 6
    assert village_quota(w.campaign).explain() == "村党组织 6 个 × 20% = 1.2，不超过 → 1 个"


# --- properties, against exact rational arithmetic ----------------------------------------------------------------

percents = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2, allow_nan=False, allow_infinity=False)
bases = st.integers(min_value=0, max_value=200_000)


@given(base=bases, percent=percents)
def test_floor_quota_is_the_largest_integer_not_above_the_product(base, percent):
    exact = Fraction(base) * Fraction(percent) / 100
    value = compute_quota(base, percent, FLOOR).value
    assert value <= exact < value + 1
    assert value == math.floor(exact)


@given(base=bases, percent=percents)
def test_at_least_one_differs_from_floor_only_when_floor_is_zero(base, percent):
    floor = compute_quota(base, percent, FLOOR).value
    value = compute_quota(base, percent, AT_LEAST_ONE).value
    assert value == (max(floor, 1) if base > 0 else 0)


@given(base=bases, percent=percents)
def test_quota_never_exceeds_the_base_and_grows_with_it(base, percent):
    quota = compute_quota(base, percent)
    assert 0 <= quota.value <= base
    assert compute_quota(base + 1, percent).value >= quota.value


@given(base=st.integers(min_value=0, max_value=5000), percent=percents)
def test_explain_states_the_exact_product_and_the_floor(base, percent):
    quota = compute_quota(base, percent)
    text = quota.explain()
    exact = Fraction(base) * Fraction(percent) / 100
    product = text.split(" = ")[1].split("，")[0]
    assert "E" not in product
    assert Fraction(product) == exact
    assert text.endswith(f"不超过 → {quota.value} 人")
