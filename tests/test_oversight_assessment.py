"""Target assessment (目标考核): scores from facts, manual scores, weighted Decimal arithmetic, the ranking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from apps.audit.models import AuditLog
from apps.core.actions import ActionError, Conflict
from apps.oversight import actions
from apps.oversight.assessment import AssessmentFacts, assessment_rows, fact_score, rank, score_branch
from apps.oversight.models import AssessmentItem, AssessmentSource

from . import build_nominations as bn

D = Decimal


def _item(pk, source, weight):
    return SimpleNamespace(pk=pk, source=source, weight=D(weight), name=str(pk))


def test_weighted_total_is_exact_decimal():
    items = [
        _item(1, AssessmentSource.RECTIFICATIONS, "33.33"),
        _item(2, AssessmentSource.MANUAL, "66.67"),
        _item(3, AssessmentSource.QUORATE, "0.01"),
    ]
    facts = AssessmentFacts(rectifications=3, closed_on_time=1, manual={2: D("87.5")}, quorate=True)
    s = score_branch(SimpleNamespace(path="1."), items, facts)
    # 33.33 × (100/3)/100 = 11.11; 66.67 × 87.5/100 = 58.336250; 0.01 × 1 = 0.01 → 69.456250 → 69.46
    assert s.total == D("69.46")
    assert [p for _, _, p in s.parts] == [D("11.11"), D("58.34"), D("0.01")]
    assert isinstance(s.total, Decimal)


def test_rounding_happens_once_at_the_end():
    # Three items each worth 0.005 points: rounding each first would give 0.03 (or 0.00); exactly it is 0.015 → 0.02.
    items = [_item(i, AssessmentSource.MANUAL, "1") for i in (1, 2, 3)]
    facts = AssessmentFacts(manual={1: D("0.5"), 2: D("0.5"), 3: D("0.5")})
    assert score_branch(SimpleNamespace(path="1."), items, facts).total == D("0.02")


@pytest.mark.parametrize(
    ("source", "facts", "score"),
    [
        (AssessmentSource.ON_TIME, AssessmentFacts(submitted_on=dt.date(2026, 5, 1), deadline=dt.date(2026, 5, 1)), 100),
        (AssessmentSource.ON_TIME, AssessmentFacts(submitted_on=dt.date(2026, 5, 2), deadline=dt.date(2026, 5, 1)), 0),
        (AssessmentSource.ON_TIME, AssessmentFacts(deadline=dt.date(2026, 5, 1)), 0),
        (AssessmentSource.QUOTA, AssessmentFacts(nominations=3, quota=3), 100),
        (AssessmentSource.QUOTA, AssessmentFacts(nominations=4, quota=3), 0),
        (AssessmentSource.QUOTA, AssessmentFacts(nominations=0, quota=3), 0),
        (AssessmentSource.QUORATE, AssessmentFacts(quorate=False), 0),
        (AssessmentSource.OBJECTIONS, AssessmentFacts(objections=2, open_objections=1), 0),
        (AssessmentSource.OBJECTIONS, AssessmentFacts(objections=2), 100),
        (AssessmentSource.RECTIFICATIONS, AssessmentFacts(), 100),
        (AssessmentSource.RECTIFICATIONS, AssessmentFacts(rectifications=4, closed_on_time=3), 75),
        (AssessmentSource.MANUAL, AssessmentFacts(), 0),
    ],
)
def test_fact_scores(source, facts, score):
    assert fact_score(source, facts, 9) == D(score)


def test_ties_share_a_rank():
    org = lambda p: SimpleNamespace(path=p)  # noqa: E731
    scored = [SimpleNamespace(org=org("3."), total=D("80"), rank=0), SimpleNamespace(org=org("1."), total=D("90"), rank=0)]
    scored += [SimpleNamespace(org=org("2."), total=D("80"), rank=0), SimpleNamespace(org=org("4."), total=D("70"), rank=0)]
    assert [(s.org.path, s.rank) for s in rank(scored)] == [("1.", 1), ("2.", 2), ("3.", 2), ("4.", 4)]


def test_ranking_from_the_database(world):
    actions.seed_assessment_items(world.office, world.campaign)
    assert AssessmentItem.objects.filter(campaign=world.campaign).count() == 5
    with pytest.raises(Conflict):
        actions.seed_assessment_items(world.office, world.campaign)
    bn.submitted(world.office, world.campaign, world.village)  # on time, within quota, quorate
    manual = actions.save_assessment_item(
        world.office, world.campaign, {"order": 6, "name": "宣传报道", "source": "manual", "weight": D("10")}
    )
    actions.set_manual_score(world.office, manual, world.village2, D("80"), "报道 2 篇")
    items, ranking = assessment_rows(world.office, world.campaign)
    totals = {s.org.pk: s for s in ranking}
    # 东岭村: 30 + 20 + 20 + 10 (no objection) + 20 (no rectification) + 0 = 100
    assert totals[world.village.pk].total == D("100.00") and totals[world.village.pk].rank == 1
    # 南坑村: objections 10 + rectifications 20 + manual 10 × 80% = 38
    assert totals[world.village2.pk].total == D("38.00") and totals[world.village2.pk].rank == 2
    assert totals[world.organ.pk].total == D("30.00") and totals[world.organ.pk].rank == 3
    assert AuditLog.objects.filter(action="assessment.score").count() == 1


def test_bad_items_and_scores_are_refused(world):
    with pytest.raises(ActionError) as exc:
        actions.save_assessment_item(world.office, world.campaign, {"order": 1, "name": "", "source": "x", "weight": D("-1")})
    assert len(exc.value.blockers) == 3
    item = actions.save_assessment_item(world.office, world.campaign, {"order": 1, "name": "按时", "source": "on_time", "weight": D("50")})
    with pytest.raises(ActionError) as exc:
        actions.save_assessment_item(world.office, world.campaign, {"order": 1, "name": "重复", "source": "quota", "weight": D("5")})
    assert "序号 1 已被其他考核项目使用。" in exc.value.blockers
    with pytest.raises(ActionError) as exc:
        actions.set_manual_score(world.office, item, world.village, D("101"))
    assert len(exc.value.blockers) == 2  # not a manual item, and out of range
    manual = actions.save_assessment_item(world.office, world.campaign, {"order": 2, "name": "人工", "source": "manual", "weight": D("5")})
    with pytest.raises(ActionError):
        actions.set_manual_score(world.office, manual, world.far_village, D("50"))
    with pytest.raises(PermissionDenied):
        actions.set_manual_score(world.secretary, manual, world.village, D("50"))
    with pytest.raises(PermissionDenied):
        actions.save_assessment_item(world.county_user, world.campaign, {"order": 3, "name": "x", "source": "quota", "weight": D("5")})


def test_pages(world, login):
    office = login(world.office)
    url = f"/campaigns/{world.campaign.pk}/assessment/"
    assert office.get(url).status_code == 200
    assert office.post(url, {"op": "seed"}).status_code == 302
    bad = office.post(url, {"op": "item", "order": "9", "name": "新项目", "source": "quota", "weight": "abc"})
    assert bad.status_code == 422 and AssessmentItem.objects.count() == 5
    assert "输入一个数字" in bad.content.decode() and 'value="新项目"' in bad.content.decode()  # the bound form, drawn afresh
    assert office.post(url, {"op": "item", "order": "9", "name": "宣传", "source": "manual", "weight": "12.5"}).status_code == 302
    item = AssessmentItem.objects.get(order=9)
    assert item.weight == D("12.5")
    assert office.post(url, {"op": "score", "item": item.pk, "org": world.village.pk, "score": "60", "note": ""}).status_code == 302
    page = office.get(url).content.decode()
    assert "宣传" in page and "7.50" in page  # 12.5 × 60%
    export = office.get(f"/campaigns/{world.campaign.pk}/assessment.xlsx")
    lines = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert lines[0][0] == "名次" and lines[0][-1] == "总分"
    edit = office.get(url, {"edit": item.pk}).content.decode()
    assert "修改考核项目：宣传" in edit and 'value="12.50"' in edit
    changed = office.post(url, {"op": "item", "edit": item.pk, "order": "9", "name": "宣传报道", "source": "manual", "weight": "20"})
    assert changed.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.weight, AssessmentItem.objects.count()) == ("宣传报道", D("20"), 6)
    assert "12.00" in office.get(url).content.decode()  # 20 × 60%: the manual score stays with the item
    assert office.post(url, {"op": "delete", "item": item.pk}).status_code == 302
    assert not AssessmentItem.objects.filter(pk=item.pk).exists()
    assert office.post(url, {"op": "delete", "item": "x"}).status_code == 422
    secretary = login(world.secretary)
    assert secretary.post(url, {"op": "seed"}).status_code == 403
    mine = secretary.get(url).content.decode()
    assert world.village.name in mine and world.village2.name not in mine


def test_api_ranking(world, api):
    actions.seed_assessment_items(world.office, world.campaign)
    bn.submitted(world.office, world.campaign, world.village)
    body = api(world.office).get(f"campaigns/{world.campaign.pk}/assessment").json()
    assert [i["weight"] for i in body["items"]] == ["30.00", "20.00", "20.00", "10.00", "20.00"]
    top = body["ranking"][0]
    assert top["org_id"] == world.village.pk and top["rank"] == 1 and top["total"] == "100.00"
    assert [s["points"] for s in top["scores"]] == ["30.00", "20.00", "20.00", "10.00", "20.00"]
    mine = api(world.secretary).get(f"campaigns/{world.campaign.pk}/assessment").json()
    assert [r["org_id"] for r in mine["ranking"]] == [world.village.pk]
    assert api(world.inspector).get(f"campaigns/{world.campaign.pk}/assessment").status_code == 403


def test_huge_ids_are_not_a_500(world, login):
    office = login(world.office)
    url = f"/campaigns/{world.campaign.pk}/assessment/"
    huge = "9" * 30
    assert office.get(url, {"edit": huge}).status_code == 200
    assert office.post(url, {"op": "delete", "item": huge}).status_code == 422
