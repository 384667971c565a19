"""The yearly re-review (年度复核) of 示范村 and 示范岗 plaques: the rules of apps/villages/registry.py, the
registry's columns and filter, the plaque's page, the .xlsx export, the home-page task and the honour roll."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.audit.models import AuditLog
from apps.core import clock
from apps.core.actions import ActionError, Conflict
from apps.publicity.honour import honour_roll
from apps.villages import registry
from apps.villages.models import PlaqueReview, Revocation, VillageCandidate

from .build_villages import awarded_last_year, review_data

pytestmark = pytest.mark.django_db

THIS_YEAR = clock.today().year


def roll_names(w) -> set[str]:
    return {v["name"] for y in honour_roll(w.town) for v in y.villages} | {p["name"] for y in honour_roll(w.town) for p in y.posts}


# --- the rules ------------------------------------------------------------------------------------------------------


def test_a_review_keeps_the_plaque_and_is_audited(world):
    village, post = awarded_last_year(world)
    review = registry.record_review(world.office, village, review_data())
    assert (review.year, review.conclusion, review.recorded_by) == (THIS_YEAR, "keep", world.office)
    registry.record_review(world.office, post, review_data(findings="岗位作用发挥明显。"))
    assert AuditLog.objects.filter(action="plaque.review").count() == 2
    assert set(AuditLog.objects.filter(action="plaque.review").values_list("note", flat=True)) == {
        "阵地完好，制度落实。",
        "岗位作用发挥明显。",
    }
    rows = {p.kind: p for p in registry.plaques(world.office)}
    assert rows["village"].last_review.year == THIS_YEAR and rows["village"].status_label == "有效"
    assert not rows["village"].due and not rows["post"].due


def test_the_year_must_be_later_than_the_award_year(world):
    village, _ = awarded_last_year(world)
    with pytest.raises(ActionError) as exc:
        registry.record_review(world.office, village, review_data(year=THIS_YEAR - 1, date=dt.date(THIS_YEAR - 1, 12, 28)))
    assert "复查年度须晚于授予年度" in str(exc.value.message_dict["year"])
    with pytest.raises(ActionError, match="不能晚于本年度"):
        registry.record_review(world.office, village, review_data(year=THIS_YEAR + 1))
    assert not PlaqueReview.objects.exists()


def test_a_plaque_of_this_year_is_not_reviewed_yet(world):
    from .build_villages import plaqued, roomy

    roomy(world.campaign)
    village = plaqued(world)  # this year's campaign
    assert registry.review_blockers(world.office, village) == [f"{THIS_YEAR}年度授予的牌匾，自下一年度起复查。"]
    with pytest.raises(ActionError, match="自下一年度起复查"):
        registry.record_review(world.office, village, review_data())
    assert not registry.plaques(world.office, due=True)


def test_one_review_per_plaque_per_year(world):
    village, post = awarded_last_year(world)
    registry.record_review(world.office, village, review_data())
    with pytest.raises(ActionError, match="每年复查一次"):
        registry.record_review(world.county_user, village, review_data(findings="再查一次"))
    registry.record_review(world.office, post, review_data())  # the other plaque has its own year
    assert PlaqueReview.objects.count() == 2


def test_revoke_via_review_withdraws_the_plaque_and_the_honour_roll_drops_it(world):
    village, post = awarded_last_year(world)
    assert {village.org.name, post.member.name} <= roll_names(world)
    review = registry.record_review(world.county_user, village, review_data(conclusion="revoke", findings="党建阵地长期闲置"))
    revocation = Revocation.objects.get(village=village)
    assert review.revocation == revocation and (revocation.reason, revocation.date) == ("党建阵地长期闲置", clock.today())
    assert AuditLog.objects.filter(action="plaque.revoke").count() == 1
    assert AuditLog.objects.filter(action="plaque.review").count() == 1
    assert village.org.name not in roll_names(world) and post.member.name in roll_names(world)
    [row] = registry.plaques(world.county_user, "village")
    assert row.revoked and row.status_label == "已摘牌" and not row.due
    with pytest.raises(Conflict, match="已摘牌"):
        registry.record_review(world.county_user, village, review_data(year=THIS_YEAR, findings="x"))


def test_revoke_via_review_is_one_transaction(world, monkeypatch):
    """If the revocation fails, the review is not kept either."""
    village, _ = awarded_last_year(world)

    def boom(*a, **k):
        raise RuntimeError("revocation failed")

    monkeypatch.setattr(registry, "revoke_plaque", boom)
    with pytest.raises(RuntimeError):
        registry.record_review(world.county_user, village, review_data(conclusion="revoke"))
    assert not PlaqueReview.objects.exists() and not AuditLog.objects.filter(action="plaque.review").exists()


def test_only_who_may_revoke_concludes_revoke(world):
    village, post = awarded_last_year(world)
    with pytest.raises(PermissionDenied, match="县委组织部"):
        registry.record_review(world.office, village, review_data(conclusion="revoke"))
    with pytest.raises(PermissionDenied):
        registry.record_review(world.county_user, post, review_data())  # 示范岗: the town's
    with pytest.raises(PermissionDenied):
        registry.record_review(world.secretary, village, review_data())
    with pytest.raises(PermissionDenied):
        registry.record_review(world.inspector, village, review_data())
    registry.record_review(world.approver, post, review_data(conclusion="revoke", findings="受到党纪处分"))
    assert post.member.name not in roll_names(world)
    assert not PlaqueReview.objects.filter(village=village).exists()


def test_rectify_needs_a_due_date_and_the_plaque_stays_shown(world):
    village, _ = awarded_last_year(world)
    with pytest.raises(ActionError) as exc:
        registry.record_review(world.office, village, review_data(conclusion="rectify"))
    assert exc.value.message_dict["due_date"] == ["限期整改须写明整改期限。"]
    with pytest.raises(ActionError, match="整改期限应晚于复查日期"):
        registry.record_review(world.office, village, review_data(conclusion="rectify", due_date=clock.today()))
    assert not PlaqueReview.objects.exists()
    review = registry.record_review(
        world.office, village, review_data(conclusion="rectify", due_date=clock.today() + dt.timedelta(days=30))
    )
    assert review.due_date == clock.today() + dt.timedelta(days=30)
    assert village.org.name in roll_names(world)
    [row] = registry.plaques(world.office, "village")
    assert row.rectifying == review and row.status_label == "限期整改中" and not row.revoked
    # the next year's review waits for the follow-up
    assert "请先记录整改复查结论" in registry.review_blockers(world.office, village)[0]


def test_follow_up_keeps_or_revokes_through_the_same_action(world):
    village, post = awarded_last_year(world)
    due = clock.today() + dt.timedelta(days=30)
    review = registry.record_review(world.office, village, review_data(conclusion="rectify", due_date=due))
    with pytest.raises(ActionError) as exc:
        registry.follow_up_review(world.county_user, review, {"outcome": "revoke", "date": clock.today(), "note": " "})
    assert exc.value.message_dict["note"] == ["请写明整改情况。"]
    with pytest.raises(PermissionDenied):
        registry.follow_up_review(world.office, review, {"outcome": "revoke", "date": clock.today(), "note": "未整改"})
    registry.follow_up_review(world.county_user, review, {"outcome": "revoke", "date": clock.today(), "note": "逾期未整改"})
    review.refresh_from_db()
    assert review.follow_up == "revoke" and review.revocation.reason == "逾期未整改"
    assert village.org.name not in roll_names(world)
    assert AuditLog.objects.filter(action__in=["plaque.review", "plaque.follow_up", "plaque.revoke"]).count() == 3
    with pytest.raises(Conflict):
        registry.follow_up_review(world.county_user, review, {"outcome": "keep", "date": clock.today(), "note": "x"})

    kept = registry.record_review(world.office, post, review_data(conclusion="rectify", due_date=due))
    registry.follow_up_review(world.office, kept, {"outcome": "keep", "date": clock.today(), "note": "已整改到位"})
    kept.refresh_from_db()
    assert kept.follow_up == "keep" and kept.revocation is None
    assert post.member.name in roll_names(world)
    kept_row = next(p for p in registry.plaques(world.office) if p.kind == "post")
    assert kept_row.status_label == "有效" and kept_row.rectifying is None


def test_follow_up_only_after_rectify(world):
    village, _ = awarded_last_year(world)
    review = registry.record_review(world.office, village, review_data())
    with pytest.raises(ActionError, match="只有结论为“限期整改”"):
        registry.follow_up_review(world.office, review, {"outcome": "keep", "date": clock.today(), "note": "x"})


def test_bad_input_names_each_field_and_saves_nothing(world):
    village, _ = awarded_last_year(world)
    bad = {"year": None, "date": clock.today() + dt.timedelta(days=2), "reviewers": " ", "findings": "", "conclusion": "maybe"}
    with pytest.raises(ActionError) as exc:
        registry.record_review(world.office, village, bad)
    errors = exc.value.message_dict
    assert errors == {
        "year": ["请填写复查年度（四位数字）。"],
        "date": ["复查日期不能晚于今天。"],
        "reviewers": ["请填写复查人员。"],
        "findings": ["请填写复查情况。"],
        "conclusion": ["请选择复查结论：保留、限期整改或摘牌。"],
    }
    VillageCandidate.objects.filter(pk=village.pk).update(plaque_date=clock.today())  # last year's plaque handed over today
    with pytest.raises(ActionError, match="不能早于授予日期"):
        registry.record_review(world.office, village, review_data(date=clock.today() - dt.timedelta(days=1)))
    assert not PlaqueReview.objects.exists() and not AuditLog.objects.filter(action="plaque.review").exists()


def test_due_this_year_and_the_count_agree(world):
    village, post = awarded_last_year(world)
    assert {p.number for p in registry.plaques(world.office, due=True)} == {"SFC-1", post.certificate_no}
    assert registry.due_count(world.office) == 2
    registry.record_review(world.office, village, review_data())
    assert [p.number for p in registry.plaques(world.office, due=True)] == [post.certificate_no]
    assert registry.due_count(world.office) == 1
    assert registry.due_count(world.other_office) == 0
    registry.revoke_plaque(world.approver, post, "受到处分")
    assert registry.due_count(world.office) == 0 and not registry.plaques(world.office, due=True)


def test_reviews_are_scoped(world):
    village, _ = awarded_last_year(world)
    registry.record_review(world.office, village, review_data())
    assert PlaqueReview.objects.visible_to(world.county_user).count() == 1
    assert PlaqueReview.objects.visible_to(world.other_office).count() == 0
    assert PlaqueReview.objects.visible_to(world.secretary2).count() == 0


# --- the pages ------------------------------------------------------------------------------------------------------


def test_the_office_records_a_review_on_the_plaque_page(world, login):
    village, _ = awarded_last_year(world)
    client = login(world.office)
    url = reverse("villages:plaque_village", args=[village.pk])
    page = client.get(url).content.decode()
    assert "SFC-1" in page and f"{THIS_YEAR}年度待复查" in page and "记录年度复查" in page
    assert 'value="revoke"' not in page  # a 示范村 is withdrawn by the county only
    data = {
        "year": THIS_YEAR,
        "date": clock.today().isoformat(),
        "reviewers": "王五、赵六",
        "findings": "活动阵地需修缮",
        "conclusion": "rectify",
    }
    response = client.post(url, data | {"due_date": (clock.today() + dt.timedelta(days=60)).isoformat()})
    assert response.status_code == 302 and response.url == url
    page = client.get(url).content.decode()
    assert "活动阵地需修缮" in page and "限期整改中" in page and "整改复查结论" in page
    registry_page = client.get(reverse("villages:plaque_registry")).content.decode()
    assert "限期整改中" in registry_page and f"{THIS_YEAR} 年度" in registry_page


def test_bad_input_on_the_page_shows_chinese_and_saves_nothing(world, login):
    village, _ = awarded_last_year(world)
    client = login(world.office)
    url = reverse("villages:plaque_village", args=[village.pk])
    data = {"year": THIS_YEAR - 1, "date": clock.today().isoformat(), "reviewers": "王五", "findings": "x", "conclusion": "rectify"}
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "复查年度须晚于授予年度" in page and "限期整改须写明整改期限" in page
    response = client.post(url, {"year": "明年", "date": "昨天", "conclusion": "revoke"})
    page = response.content.decode()
    assert response.status_code == 200 and "输入整数" in page and "输入一个有效的日期" in page
    assert "选择一个有效的选项" in page  # 摘牌 is not offered to the town office for a 示范村
    assert not PlaqueReview.objects.exists() and not AuditLog.objects.filter(action="plaque.review").exists()


def test_county_revokes_through_the_page_and_the_public_roll_drops_it(world, login, client):
    from django.core.cache import cache

    village, _ = awarded_last_year(world)
    county = login(world.county_user)
    url = reverse("villages:plaque_village", args=[village.pk])
    data = {
        "year": THIS_YEAR,
        "date": clock.today().isoformat(),
        "reviewers": "县委组织部复查组",
        "findings": "长期不开展活动",
        "conclusion": "revoke",
    }
    assert county.post(url, data).status_code == 302
    assert Revocation.objects.get(village=village).reason == "长期不开展活动"
    page = county.get(url).content.decode()
    assert "已摘牌" in page and "记录年度复查" not in page
    cache.delete(f"publicity:honour:{world.town.pk}")
    public = client.get(f"/public/towns/{world.town.pk}/").content.decode()
    assert f"<strong>{village.org.name}</strong>" not in public


def test_a_plaque_under_rectification_stays_on_the_public_roll(world, client):
    from django.core.cache import cache

    village, _ = awarded_last_year(world)
    registry.record_review(world.office, village, review_data(conclusion="rectify", due_date=clock.today() + dt.timedelta(days=30)))
    cache.delete(f"publicity:honour:{world.town.pk}")
    public = client.get(f"/public/towns/{world.town.pk}/").content.decode()
    assert f'<h4>共产党员示范村</h4><ul class="honour-list"><li><strong>{village.org.name}</strong>' in public


def test_follow_up_on_the_page(world, login):
    _, post = awarded_last_year(world)
    review = registry.record_review(world.office, post, review_data(conclusion="rectify", due_date=clock.today() + dt.timedelta(days=30)))
    client = login(world.approver)
    url = reverse("villages:review_follow_up", args=[review.pk])
    response = client.post(url, {"outcome": "revoke", "date": clock.today().isoformat(), "note": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert client.post(url, {"outcome": "revoke", "date": clock.today().isoformat(), "note": "逾期未整改"}).status_code == 302
    assert Revocation.objects.get(nomination=post).reason == "逾期未整改"


def test_another_towns_plaque_is_404(world, login):
    village, post = awarded_last_year(world)
    review = registry.record_review(world.office, village, review_data(conclusion="rectify", due_date=clock.today() + dt.timedelta(days=9)))
    other = login(world.other_office)
    for url in (reverse("villages:plaque_village", args=[village.pk]), reverse("villages:plaque_post", args=[post.pk])):
        assert other.get(url).status_code == 404
        assert other.post(url, review_data(year=THIS_YEAR, date=clock.today().isoformat())).status_code == 404
    follow = reverse("villages:review_follow_up", args=[review.pk])
    assert other.post(follow, {"outcome": "keep", "date": clock.today().isoformat(), "note": "x"}).status_code == 404
    assert PlaqueReview.objects.count() == 1 and not PlaqueReview.objects.filter(follow_up__gt="").exists()
    assert "SFC-1" not in other.get(reverse("villages:plaque_export")).content.decode(errors="ignore")


def test_registry_filter_and_export(world, login):
    from openpyxl import load_workbook

    village, post = awarded_last_year(world)
    registry.record_review(world.office, village, review_data(conclusion="rectify", due_date=clock.today() + dt.timedelta(days=30)))
    client = login(world.office)
    page = client.get(reverse("villages:plaque_registry") + "?due=1").content.decode()
    assert post.certificate_no in page and "SFC-1" not in page
    response = client.get(reverse("villages:plaque_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("类别", "编号", "授予年度") and "最近复查结论" in rows[0] and "本年度待复查" in rows[0]
    by_number = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_number["SFC-1"]["最近复查年度"] == THIS_YEAR and by_number["SFC-1"]["最近复查结论"] == "限期整改"
    assert by_number["SFC-1"]["状态"] == "限期整改中" and by_number["SFC-1"]["本年度待复查"] == "否"
    assert by_number["SFC-1"]["整改期限"].date() == clock.today() + dt.timedelta(days=30)
    assert by_number[post.certificate_no]["本年度待复查"] == "是" and by_number[post.certificate_no]["最近复查年度"] is None
    due_only = load_workbook(io.BytesIO(client.get(reverse("villages:plaque_export") + "?due=1").content)).active
    assert [r[1] for r in due_only.iter_rows(min_row=2, values_only=True)] == [post.certificate_no]


def test_home_task_for_the_town_office(world, login):
    village, post = awarded_last_year(world)
    page = login(world.office).get("/").content.decode()
    assert "2 块牌匾待年度复查" in page and reverse("villages:plaque_registry") + "?due=1" in page
    assert "块牌匾待年度复查" not in login(world.other_office).get("/").content.decode()
    registry.record_review(world.office, village, review_data())
    registry.record_review(world.office, post, review_data())
    assert "块牌匾待年度复查" not in login(world.office).get("/").content.decode()


def test_home_task_for_a_rectification_past_due(world, login):
    village, _ = awarded_last_year(world)
    review = registry.record_review(world.office, village, review_data(conclusion="rectify", due_date=clock.today() + dt.timedelta(days=5)))
    PlaqueReview.objects.filter(pk=review.pk).update(due_date=clock.today() - dt.timedelta(days=1))
    page = login(world.office).get("/").content.decode()
    assert "1 块牌匾整改期满，待记录整改复查结论" in page and review.get_absolute_url() in page


def test_registry_with_reviews_reads_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone as tz

    from apps.nominations.models import Nomination

    from .build_nominations import submitted

    second = submitted(world.secretary2, world.campaign, world.village2, recommended=1).nominations.get()
    village, post = awarded_last_year(world)
    registry.record_review(world.office, village, review_data(conclusion="rectify", due_date=clock.today() + dt.timedelta(days=30)))

    def count() -> tuple[int, list]:
        with CaptureQueriesContext(connection) as ctx:
            rows = registry.plaques(world.office)
            [(p.last_review, p.due, p.rectifying, p.status_label) for p in rows]
        return len(ctx.captured_queries), rows

    count()
    one, _ = count()
    registry.record_review(world.office, post, review_data())
    Nomination.objects.filter(pk=second.pk).update(status="commended", certificate_no="东岭镇-2025-002", listed_at=tz.now())
    second_due = clock.today() + dt.timedelta(days=9)
    registry.record_review(world.office, Nomination.objects.get(pk=second.pk), review_data(conclusion="rectify", due_date=second_due))
    two, rows = count()
    assert two == one and len(rows) == 3
    assert sum(len(p.reviews) for p in rows) == 3


def test_registry_page_with_reviews_reads_a_fixed_number_of_queries(world, login):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    village, post = awarded_last_year(world)
    client = login(world.office)
    url = reverse("villages:plaque_registry")
    client.get(url)
    cache.clear()  # the registry computed, not the rows kept from the last look (apps/audit/memo.py)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    registry.record_review(world.office, village, review_data(conclusion="rectify", due_date=clock.today() + dt.timedelta(days=30)))
    registry.record_review(world.office, post, review_data())
    cache.clear()
    with CaptureQueriesContext(connection) as second:
        page = client.get(url).content.decode()
    assert "限期整改中" in page
    assert len(second.captured_queries) == len(first.captured_queries)


def test_the_village_page_links_to_its_plaque(world, login):
    village, _ = awarded_last_year(world)
    page = login(world.county_user).get(village.get_absolute_url()).content.decode()
    assert reverse("villages:plaque_village", args=[village.pk]) in page


def test_generated_review_posts_never_fail_and_refusals_write_nothing(world, client):
    """Whatever the town office posts to the review form (a 示范岗 certificate) and the follow-up form (a 示范村's
    限期整改): never a 500; a refusal writes no review, no follow-up, no revocation and no audit row."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from .test_forms_fuzz import VALUES

    village, post_plaque = awarded_last_year(world)
    client.force_login(world.office)
    page = reverse("villages:plaque_post", args=[post_plaque.pk])
    rectify = registry.record_review(
        world.office, village, review_data(year=THIS_YEAR, conclusion="rectify", due_date=clock.today() + dt.timedelta(days=30))
    )
    follow = reverse("villages:review_follow_up", args=[rectify.pk])

    def state():
        return (
            PlaqueReview.objects.count(),
            PlaqueReview.objects.exclude(follow_up="").count(),
            Revocation.objects.count(),
            AuditLog.objects.count(),
        )

    fields = {
        page: ("year", "date", "reviewers", "findings", "conclusion", "due_date"),
        follow: ("outcome", "date", "note"),
    }

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.sampled_from(sorted(fields)), st.data())
    def post(path, data):
        values = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(fields[path], VALUES)))
        before = state()
        response = client.post(path, values)
        assert response.status_code < 500, (path, values)
        if response.status_code != 302:
            assert state() == before, (path, values)

    post()


def test_the_registry_is_shown_a_page_at_a_time_and_exported_whole(world, login, monkeypatch):
    from apps.villages import views

    monkeypatch.setattr(views, "REGISTRY_PAGE", 1)
    village, post = awarded_last_year(world)
    client = login(world.office)
    url = reverse("villages:plaque_registry")
    first = client.get(url + "?kind=&due=1").content.decode()
    assert "第 1 / 2 页，共 2 条" in first
    assert re.search(r"\?kind=(&amp;|&)due=1(&amp;|&)page=2\"", first)  # the filters kept, the page number once
    second = client.get(url + "?kind=&due=1&page=2").content.decode()
    numbers = {village.plaque_no, post.certificate_no}
    assert {n for n in numbers if n in first} | {n for n in numbers if n in second} == numbers
    assert not {n for n in numbers if n in first} & {n for n in numbers if n in second}
    assert re.search(rf'href="{reverse("villages:plaque_export")}\?kind=(&amp;|&)due=1"', first)  # the export: every row
