"""The public face of a town (issue 10): notices with countdown, the honour roll, stories; no personal data."""

import datetime as dt

import pytest

from apps.core import clock
from apps.notices.actions import create_notice
from apps.villages.registry import revoke_plaque

from .build_notices import listed_nomination
from .build_publicity import honoured, published_story

pytestmark = pytest.mark.django_db


def home(client, w):
    response = client.get(f"/public/towns/{w.town.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_home_shows_the_honour_roll_by_year(world, client):
    post, village = honoured(world)
    page = home(client, world)
    assert f"{world.campaign.year}年度" in page
    assert post.member.name in page and post.org.name in page and post.candidate.post in page
    assert village.org.name in page
    assert "光荣榜" in page


def test_revoked_plaques_are_not_shown_as_current(world, client):
    post, village = honoured(world)
    revoke_plaque(world.county_user, village, "复查不合格")
    revoke_plaque(world.approver, post, "受到处分")
    page = home(client, world)
    assert post.member.name not in page
    assert "光荣榜尚未发布" in page


def test_other_towns_honours_do_not_appear(world, client):
    post, _ = honoured(world)
    page = client.get(f"/public/towns/{world.other_town.pk}/").content.decode()
    assert post.member.name not in page


def test_current_notice_with_countdown_links_to_the_public_notice(world, client):
    listed_nomination(world.campaign, world.member)
    notice = create_notice(world.office, world.campaign, clock.today())
    page = home(client, world)
    assert notice.public_path() in page
    assert f"距公示结束还有 {notice.days_left()} 天" in page


def test_ended_notice_is_not_current(world, client):
    listed_nomination(world.campaign, world.member)
    notice = create_notice(world.office, world.campaign, clock.today() - dt.timedelta(days=60))
    assert notice.public_path() not in home(client, world)


def test_only_published_stories_are_listed(world, client):
    story = published_story(world)
    hidden = published_story(world, title="尚未发布的草稿", status="draft")
    page = home(client, world)
    assert story.title in page and hidden.title not in page
    assert client.get(f"/public/towns/{world.town.pk}/stories/{hidden.pk}/").status_code == 404


def test_public_pages_carry_a_qr_code_and_share_metadata(world, client):
    story = published_story(world)
    for path in (f"/public/towns/{world.town.pk}/", story.public_path()):
        page = client.get(path).content.decode()
        assert "<svg" in page and 'class="segno"' in page
        assert 'property="og:title"' in page and 'property="og:description"' in page
        assert "http://" not in page.replace("http://testserver", "").replace("http://www.w3.org", "")


def test_honour_roll_poster_is_an_a4_pdf_of_the_roll(world, client):
    from apps.publicity.poster import poster

    post, village = honoured(world)
    response = client.get(f"/public/towns/{world.town.pk}/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = poster(world.town, "http://testserver/").text()
    assert post.member.name in text and village.org.name in text
    assert post.member.id_number not in text


def test_public_home_queries_do_not_grow_with_the_roll(world, client, django_assert_max_num_queries):
    post, _ = honoured(world)
    for i in range(5):
        published_story(world, title=f"事迹{i}", nomination=post)
    listed_nomination(world.campaign, world.member)
    create_notice(world.office, world.campaign, clock.today())
    with django_assert_max_num_queries(15):  # the roll computed and put into the database cache
        home(client, world)
    for i in range(5, 10):
        published_story(world, title=f"事迹{i}", nomination=post)
    with django_assert_max_num_queries(10):  # the roll from the cache
        home(client, world)


# The cache's freshness rules (a minute at most; withdrawals, revocations and stories at once): tests/test_public_freshness.py


def test_home_shows_the_latest_years_roll_and_links_the_others(world, client):
    from apps.nominations.models import Nomination

    from . import factories

    post, _ = honoured(world)
    y = world.campaign.year - 2
    earlier = factories.campaign(world.office, world.town, year=y, appraisal_year=y - 1, deadline=dt.date(y, 12, 15))
    old = listed_nomination(earlier, world.member2, deeds="十年如一日照顾孤寡老人。", status="commended")
    Nomination.objects.filter(pk=old.pk).update(certificate_no="东岭镇-旧-001")
    page = home(client, world)
    assert post.member.name in page and old.member.name not in page.split('id="honour"')[1].split('id="stories"')[0]
    assert f'href="?year={earlier.year}#honour"' in page
    older = client.get(f"/public/towns/{world.town.pk}/?year={earlier.year}").content.decode()
    assert "十年如一日照顾孤寡老人" in older and f"{earlier.year}年度" in older and post.candidate.deeds[:10] not in older
    for bad in ("1999", "abc", str(world.campaign.year - 1)):  # out of range, not a year, a year without a roll
        assert client.get(f"/public/towns/{world.town.pk}/?year={bad}").status_code == 404
