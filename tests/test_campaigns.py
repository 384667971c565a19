"""The campaign: filling in the plan's blanks, the creation standards, and who may change them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from apps.audit.models import AuditLog
from apps.campaigns.models import Campaign, Criterion, Target
from apps.campaigns.standards import POST_STANDARDS, VILLAGE_STANDARDS
from apps.core import clock

YEAR = clock.today().year


def campaign_data(campaign: Campaign | None = None, **changes) -> dict:
    data = {
        "year": YEAR,
        "title": "共产党员示范行动",
        "county_name": "测试县",
        "status": "active",
        "post_quota_percent": "10",
        "rounding": "floor",
        "village_quota_percent": "20",
        "appraisal_year": YEAR - 1,
        "deadline": f"{YEAR}-12-15",
        "notice_days": 5,
        "notice_day_kind": "working",
        "quorum_percent": "50",
        "office_name": "镇党建办",
        "office_contact": "测试联系人",
        "office_phone": "0000-0000000",
        "notes": "",
    }
    data.update(changes)
    return data


def campaign_state(campaign: Campaign) -> tuple:
    row = Campaign.objects.filter(pk=campaign.pk).values().get()
    row.pop("updated_at")
    criteria = tuple(Criterion.objects.filter(campaign=campaign).order_by("pk").values_list("target", "order", "title", "text"))
    return row, criteria, Campaign.objects.count(), AuditLog.objects.exclude(action="user.login").count()


# --- the blanks -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"), [("12.5", Decimal("12.5")), ("29", Decimal("29")), ("0.01", Decimal("0.01")), ("100", Decimal("100"))]
)
def test_percent_is_stored_as_an_exact_decimal(world, login, typed, stored):
    response = login(world.office).post(f"/campaigns/{world.campaign.pk}/edit/", campaign_data(post_quota_percent=typed))
    assert response.status_code == 302
    world.campaign.refresh_from_db()
    assert isinstance(world.campaign.post_quota_percent, Decimal)
    assert world.campaign.post_quota_percent == stored
    assert world.campaign.post_quota(100).value == int(stored)  # 100 members: exactly the percentage, floored


def test_29_percent_of_100_shows_as_29_on_the_quota_page(world, login):
    from . import factories as f

    for i in range(99):  # + 张三 = 100 formal members in 东岭村
        f.member(world.village, f"党员甲{i}")
    client = login(world.office)
    client.post(f"/campaigns/{world.campaign.pk}/edit/", campaign_data(post_quota_percent="29"))
    html = client.get(f"/campaigns/{world.campaign.pk}/quotas/").content.decode()
    assert "正式党员 100 人 × 29% = 29，不超过 → 29 人" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"post_quota_percent": "100.5"}, "post_quota_percent", "比例不能超过 100%"),
        ({"post_quota_percent": "150"}, "post_quota_percent", "比例不能超过 100%"),
        ({"post_quota_percent": "0"}, "post_quota_percent", "比例须大于 0"),
        ({"post_quota_percent": "-5"}, "post_quota_percent", "比例须大于 0"),
        ({"post_quota_percent": "十"}, "post_quota_percent", "请输入数字"),
        ({"post_quota_percent": "abc"}, "post_quota_percent", "请输入数字"),
        ({"post_quota_percent": "12.345"}, "post_quota_percent", "2 位"),
        ({"post_quota_percent": ""}, "post_quota_percent", "请填写示范岗比例"),
        ({"village_quota_percent": "101"}, "village_quota_percent", "比例不能超过 100%"),
        ({"village_quota_percent": "0"}, "village_quota_percent", "比例须大于 0"),
        ({"village_quota_percent": "twenty"}, "village_quota_percent", "请输入数字"),
        ({"appraisal_year": YEAR + 1}, "appraisal_year", "参考的民主评议年度不能晚于活动年度"),
        ({"deadline": f"{YEAR - 1}-12-15"}, "deadline", "申报截止日期应在活动年度内"),
        ({"deadline": f"{YEAR + 2}-01-10"}, "deadline", "申报截止日期应在活动年度内"),
        ({"deadline": "12月15日"}, "deadline", "有效的日期"),
        ({"notice_days": "0"}, "notice_days", "大于或等于1"),
        ({"notice_days": "五"}, "notice_days", "整数"),
        ({"rounding": "ceil"}, "rounding", "选择一个有效的选项"),
        ({"year": "1999"}, "year", "大于或等于2000"),
    ],
)
def test_bad_blanks_are_refused_next_to_the_field(world, login, changes, field, message):
    client = login(world.office)
    before = campaign_state(world.campaign)
    response = client.post(f"/campaigns/{world.campaign.pk}/edit/", campaign_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and any(message in e for e in errors[field]), dict(errors)
    assert message in response.content.decode()
    assert campaign_state(world.campaign) == before


def test_moving_to_a_year_that_already_has_a_campaign_is_refused(world, login):
    from . import factories as f

    f.campaign(world.office, world.town, year=YEAR + 1, deadline=dt.date(YEAR + 1, 12, 15), appraisal_year=YEAR)
    client = login(world.office)
    before = campaign_state(world.campaign)
    response = client.post(
        f"/campaigns/{world.campaign.pk}/edit/", campaign_data(year=YEAR + 1, deadline=f"{YEAR + 1}-12-01", appraisal_year=YEAR)
    )
    assert response.status_code == 200
    assert "该年度的示范行动已存在" in " ".join(response.context["form"].errors["year"])
    assert campaign_state(world.campaign) == before


def test_editing_the_blanks_logs_before_and_after(world, login):
    response = login(world.office).post(
        f"/campaigns/{world.campaign.pk}/edit/", campaign_data(post_quota_percent="12.5", office_contact="周文静", rounding="at_least_one")
    )
    assert response.status_code == 302
    log = AuditLog.objects.get(action="campaign.update")
    assert log.changes == {
        "示范岗比例（%）": ["10", "12.5"],
        "名额取整规则": ["向下取整（不超过）", "向下取整，但每支部至少 1 名"],
        "联系人": ["测试联系人", "周文静"],
    }
    assert (log.actor, log.town, log.target_id) == (world.office, world.town, str(world.campaign.pk))


def test_detail_page_shows_the_filled_blanks_and_the_village_arithmetic(world, login):
    html = login(world.secretary).get(f"/campaigns/{world.campaign.pk}/").content.decode()
    assert "不超过支部正式党员数的 10%" in html
    assert "村党组织 2 个 × 20% = 0.4，不超过 → 0 个" in html
    assert f"{YEAR}年12月15日前报至镇党建办" in html
    assert "编辑实施方案设置" not in html  # the secretary reads, the office edits


# --- creating a campaign ----------------------------------------------------------------------------------------------


def test_creating_a_campaign_seeds_the_plans_five_and_five_standards(world, login):
    response = login(world.office).post("/campaigns/new/", campaign_data(year=YEAR + 1, appraisal_year=YEAR, deadline=f"{YEAR + 1}-11-30"))
    assert response.status_code == 302
    campaign = Campaign.objects.get(town=world.town, year=YEAR + 1)
    assert response["Location"] == f"/campaigns/{campaign.pk}/"
    post = list(campaign.criteria.filter(target=Target.POST).values_list("order", "title", "text"))
    village = list(campaign.criteria.filter(target=Target.VILLAGE).values_list("order", "title", "text"))
    assert post == [(i, t, x) for i, (t, x) in enumerate(POST_STANDARDS, start=1)]
    assert village == [(i, t, x) for i, (t, x) in enumerate(VILLAGE_STANDARDS, start=1)]
    assert [p[1] for p in post] == ["政治素质过硬", "岗位业绩突出", "工作作风优良", "服务态度端正", "群众认可度高"]
    log = AuditLog.objects.get(action="campaign.create", target_id=str(campaign.pk))
    assert log.changes["示范岗比例（%）"] == ["", "10"] and log.town == world.town


def test_a_second_campaign_for_the_same_year_is_refused(world, login):
    client = login(world.office)
    count = Campaign.objects.count()
    response = client.post("/campaigns/new/", campaign_data())
    assert response.status_code == 200
    assert "年度的示范行动已存在" in " ".join(response.context["form"].errors["year"])
    assert Campaign.objects.count() == count


def test_office_creates_in_its_own_town_whatever_the_post_says(world, login):
    response = login(world.other_office).post(
        "/campaigns/new/", {**campaign_data(year=YEAR + 1, appraisal_year=YEAR, deadline=f"{YEAR + 1}-12-01"), "town": world.town.pk}
    )
    assert response.status_code == 302
    assert Campaign.objects.get(year=YEAR + 1).town == world.other_town


# --- criteria ---------------------------------------------------------------------------------------------------------


def test_adding_editing_and_deleting_a_criterion(world, login):
    client = login(world.office)
    base = f"/campaigns/{world.campaign.pk}/criteria"
    response = client.post(f"{base}/new/", {"target": Target.POST, "order": 6, "title": "带头移风易俗", "text": "红白喜事简办。"})
    assert response.status_code == 302
    added = Criterion.objects.get(campaign=world.campaign, title="带头移风易俗")
    log = AuditLog.objects.get(action="criterion.create")
    assert log.changes["标题"] == ["", "带头移风易俗"] and log.town == world.town

    response = client.post(
        f"{base}/{added.pk}/edit/", {"target": Target.POST, "order": 6, "title": "带头移风易俗", "text": "红白喜事简办，不大操大办。"}
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.text == "红白喜事简办，不大操大办。"
    log = AuditLog.objects.get(action="criterion.update")
    assert log.changes == {"内容": ["红白喜事简办。", "红白喜事简办，不大操大办。"]}

    response = client.post(f"{base}/{added.pk}/delete/")
    assert response.status_code == 302
    assert not Criterion.objects.filter(pk=added.pk).exists()
    log = AuditLog.objects.get(action="criterion.delete")
    assert log.changes["标题"] == ["带头移风易俗", ""]
    assert world.campaign.criteria.count() == 10


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"order": 1}, "order", "该序号已被使用"),
        ({"order": "一"}, "order", "整数"),
        ({"title": ""}, "title", "请填写标题"),
        ({"text": ""}, "text", "请填写内容"),
        ({"title": "标" * 61}, "title", "不超过 60"),
        ({"target": "town"}, "target", "选择一个有效的选项"),
    ],
)
def test_bad_criterion_is_refused(world, login, data, field, message):
    client = login(world.office)
    before = campaign_state(world.campaign)
    payload = {"target": Target.VILLAGE, "order": 9, "title": "新标准", "text": "内容"} | data
    response = client.post(f"/campaigns/{world.campaign.pk}/criteria/new/", payload)
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert campaign_state(world.campaign) == before


def test_renumbering_a_criterion_onto_a_used_number_is_refused(world, login):
    client = login(world.office)
    second = world.campaign.criteria.get(target=Target.POST, order=2)
    before = campaign_state(world.campaign)
    response = client.post(
        f"/campaigns/{world.campaign.pk}/criteria/{second.pk}/edit/",
        {"target": Target.POST, "order": 1, "title": second.title, "text": second.text},
    )
    assert response.status_code == 200
    assert "该序号已被使用" in " ".join(response.context["form"].errors["order"])
    assert campaign_state(world.campaign) == before


# --- who may change the campaign --------------------------------------------------------------------------------------


def _urls(campaign):
    criterion = campaign.criteria.first()
    return [
        (f"/campaigns/{campaign.pk}/edit/", campaign_data(post_quota_percent="50")),
        (f"/campaigns/{campaign.pk}/criteria/new/", {"target": Target.POST, "order": 9, "title": "伪造", "text": "伪造"}),
        (f"/campaigns/{campaign.pk}/criteria/{criterion.pk}/edit/", {"target": Target.POST, "order": 1, "title": "伪造", "text": "伪造"}),
        (f"/campaigns/{campaign.pk}/criteria/{criterion.pk}/delete/", {}),
    ]


@pytest.mark.parametrize(
    ("role", "status"),
    [("approver", 403), ("secretary", 403), ("secretary2", 403), ("inspector", 403), ("county_user", 403), ("other_office", 404)],
)
def test_only_the_towns_office_or_an_admin_changes_the_campaign(world, login, role, status):
    client = login(getattr(world, role))
    before = campaign_state(world.campaign)
    for url, data in _urls(world.campaign):
        assert client.get(url).status_code == (405 if url.endswith("/delete/") else status), url
        assert client.post(url, data).status_code == status, url
    assert campaign_state(world.campaign) == before


@pytest.mark.parametrize("role", ["office", "admin"])
def test_office_and_admin_may_change_it(world, login, role):
    client = login(getattr(world, role))
    for url, data in _urls(world.campaign):
        assert client.post(url, data).status_code == 302, url
    world.campaign.refresh_from_db()
    assert world.campaign.post_quota_percent == Decimal("50")


def test_administrator_opens_a_campaign_for_a_chosen_town(world, login):
    from apps.campaigns.models import Campaign

    client = login(world.admin)
    page = client.get("/campaigns/new/").content.decode()
    assert "镇党委" in page and world.town.name in page
    data = {
        "town": world.town.pk,
        "year": world.campaign.year + 1,
        "title": "共产党员示范行动",
        "county_name": "测试县",
        "status": "draft",
        "post_quota_percent": "12.5",
        "rounding": "floor",
        "village_quota_percent": "20",
        "appraisal_year": world.campaign.year,
        "deadline": f"{world.campaign.year + 1}-11-30",
        "notice_days": 5,
        "notice_day_kind": "working",
        "quorum_percent": "50",
        "office_name": "镇党建办",
    }
    assert client.post("/campaigns/new/", data).status_code == 302
    created = Campaign.objects.get(town=world.town, year=world.campaign.year + 1)
    assert str(created.post_quota_percent) == "12.50" and created.criteria.count() == 10
    # A town office's form has no town choice: its campaigns are its own town's.
    assert 'name="town"' not in login(world.office).get("/campaigns/new/").content.decode()
