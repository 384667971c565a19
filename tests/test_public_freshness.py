"""The crowd (issue 10): the public notice page and the town's public home are served from the shared cache
(the database cache every worker reads), show a published change within a minute, and drop a withdrawn
nomination, a revoked plaque or a story taken down at once."""

import datetime as dt
import gzip
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from apps.core import clock
from apps.nominations.models import Nomination
from apps.notices import actions as notices
from apps.orgs.models import Member
from apps.publicity import actions as stories
from apps.publicity.freshness import FRESH_SECONDS
from apps.villages.registry import revoke_plaque

from .build_notices import listed_nomination
from .build_publicity import honoured, published_story
from .build_villages import commended_post
from .paper_checks import pdf
from .shared_cache import on_redis, stored_values

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()


def later(monkeypatch, seconds: int) -> None:
    """Move the database cache's clock forward: entries older than `seconds` have expired."""
    moved = timezone.now() + dt.timedelta(seconds=seconds)
    monkeypatch.setattr("django.core.cache.backends.db.tz_now", lambda: moved)


@pytest.fixture
def notice(world):
    # Other branches than the honoured post's (tests/build_publicity.py), so both can be built in one test.
    listed_nomination(world.campaign, world.member2, post="村党支部书记", deeds="带领群众发展茶叶产业。")
    listed_nomination(world.campaign, world.organ_member, post="科室负责人", deeds="调解邻里纠纷三十余起。")
    return notices.create_notice(world.office, world.campaign, clock.today())


def home(client, w) -> str:
    response = client.get(f"/public/towns/{w.town.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def page(client, notice) -> str:
    response = client.get(notice.public_path())
    assert response.status_code == 200
    return response.content.decode()


def test_entries_live_a_minute_at_most():
    assert FRESH_SECONDS <= 60


def test_a_second_visitor_costs_one_cache_query(world, notice, django_assert_num_queries):
    honoured(world)
    published_story(world)
    page(Client(), notice)
    home(Client(), world)
    queries = 0 if on_redis() else 1  # the page and its generation, in one get_many; none of the database's on Redis
    with django_assert_num_queries(queries):
        assert "带领群众发展茶叶产业" in page(Client(), notice)
    with django_assert_num_queries(queries):
        assert "扎根乡村的带头人" in home(Client(), world)


@pytest.mark.skipif(on_redis(), reason="moves the database cache's clock; on Redis, tests/test_redis_cache.py checks the expiry")
def test_a_published_change_shows_within_a_minute(world, notice, monkeypatch):
    client = Client()
    assert "修缮村道" not in page(client, notice)
    home(client, world)  # an empty honour roll, now cached
    # Changes that bump nothing (a commendation, an edited deed): the cached pages stay for their minute...
    candidate = Nomination.objects.get(member=world.member2).candidate
    type(candidate).objects.filter(pk=candidate.pk).update(deeds="修缮村道。")
    post = commended_post(world)
    assert "修缮村道" not in page(client, notice)
    assert post.member.name not in home(client, world).split('id="honour"')[1]
    later(monkeypatch, FRESH_SECONDS + 1)  # ...and no longer
    assert "修缮村道" in page(client, notice)
    assert post.member.name in home(client, world).split('id="honour"')[1]


def test_a_withdrawn_nomination_shows_at_once(world, notice):
    client = Client()
    assert "已撤销推荐" not in page(client, notice)
    objection, _ = notices.file_objection(notice, "反映该同志不符合条件。", nomination_id=Nomination.objects.get(member=world.member2).pk)
    notices.conclude_objection(world.office, objection, "upheld", "经核实，反映属实。")
    shown = page(client, notice)
    assert shown.count("已撤销推荐") == 1  # no minute's wait: the action made the cached page stale
    assert re.search(rf"{world.member2.name}\s*<span class=\"badge badge-grey\">已撤销推荐", shown)


def test_a_dismissed_objection_changes_nothing_public(world, notice):
    client = Client()
    before = page(client, notice)
    objection, _ = notices.file_objection(notice, "反映。")
    notices.conclude_objection(world.office, objection, "dismissed", "经核实，反映不属实。")
    assert "已撤销推荐" not in page(client, notice) and "已撤销推荐" not in before


def test_a_revoked_plaque_leaves_the_honour_roll_and_its_poster_at_once(world):
    post, village = honoured(world)
    client = Client()
    poster_url = f"/public/towns/{world.town.pk}/poster-a4.pdf"
    assert post.member.name in home(client, world) and village.org.name in home(client, world)
    assert post.member.name in pdf(client.get(poster_url).content)[1]
    revoke_plaque(world.approver, post, "受到处分")
    assert post.member.name not in home(client, world)
    assert post.member.name not in pdf(client.get(poster_url).content)[1]
    revoke_plaque(world.county_user, village, "复查不合格")
    assert village.org.name not in home(client, world).split('id="honour"')[1]


def test_a_story_published_or_taken_down_shows_at_once(world):
    client = Client()
    story = stories.create_story(world.office, "一心为民的好支书", "<p>正文。</p>")
    assert story.title not in home(client, world)
    stories.publish_story(world.office, story)
    assert story.title in home(client, world)
    stories.unpublish_story(world.office, story)
    assert story.title not in home(client, world)


def test_a_new_notice_shows_on_the_home_at_once(world):
    client = Client()
    assert "目前没有正在公示的名单" in home(client, world)
    listed_nomination(world.campaign, world.member)
    notice = notices.create_notice(world.office, world.campaign, clock.today())
    assert notice.public_path() in home(client, world)


def test_the_kept_notice_holds_no_form_and_sets_no_cookie_the_objection_page_does(world, notice):
    """The crowd reading a notice is served the same bytes: no form, no CSRF cookie. The objection form is a page
    of its own, with each visitor's own token, and the CSRF check holds there."""
    tokens = set()
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        response = client.get(notice.public_path())
        body = response.content.decode()
        assert "<form" not in body and "csrfmiddlewaretoken" not in body and "csrftoken" not in response.cookies
        assert notice.objection_path() in body
        form = client.get(notice.objection_path()).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        tokens.add(token)
    assert len(tokens) == 2
    assert Client(enforce_csrf_checks=True).post(notice.objection_path(), {"text": "反映情况。"}).status_code == 403
    response = client.post(notice.objection_path(), {"csrfmiddlewaretoken": token, "text": "反映情况。", "nomination": ""})
    assert response.status_code == 200 and "查询码" in response.content.decode()


def test_the_cache_holds_no_personal_data(world, notice):
    honoured(world)
    Member.objects.update(phone="13812345678")
    page(Client(), notice)
    home(Client(), world)
    # A public page is gzipped HTML.
    values = [readable(value) for value in stored_values()]
    text = "\n".join(values)
    assert "带领群众发展茶叶产业" in text  # the scan reads the pages
    for m in Member.objects.all():
        assert m.phone not in text and m.id_number not in text


def readable(value) -> str:
    if isinstance(value, tuple):
        return "\n".join(readable(v) for v in value)
    if isinstance(value, bytes):
        try:
            return gzip.decompress(value).decode()
        except gzip.BadGzipFile:
            return repr(value)
    return repr(value)


def test_a_phone_gets_the_kept_gzip_bytes_other_clients_the_page(world, notice):
    for path in (notice.public_path(), f"/public/towns/{world.town.pk}/"):
        plain = Client().get(path)
        packed = Client().get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in packed["Vary"]
        assert gzip.decompress(packed.content) == plain.content
        assert len(packed.content) < len(plain.content)
        assert "<h1>" in plain.content.decode()
    refused = Client().get(notice.public_path(), HTTP_ACCEPT_ENCODING="identity")
    assert "Content-Encoding" not in refused and "<h1>" in refused.content.decode()


def test_head_is_answered(world, notice):
    assert Client().head(notice.public_path()).status_code == 200
    assert Client().head(f"/public/towns/{world.town.pk}/").status_code == 200
    assert Client().put(notice.public_path()).status_code == 405


def test_the_home_has_no_form_and_sets_no_csrf_cookie(world):
    response = Client().get(f"/public/towns/{world.town.pk}/")
    assert "<form" not in response.content.decode()
    assert "csrftoken" not in response.cookies
