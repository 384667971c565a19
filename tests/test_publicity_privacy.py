"""A scan of every public URL (pages and PDFs) in a populated database: no 18-digit ID number, no 11-digit
mobile number, no birth date — although every member in it has all three."""

import pytest
from django.urls import reverse

from apps.core import clock
from apps.notices.actions import create_notice
from apps.orgs.models import Member

from .build_notices import listed_nomination
from .build_publicity import honoured, published_story
from .paper_checks import ID_NUMBER, MOBILE, pdf
from .test_security import PUBLIC_VIEWS

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(world):
    post, village = honoured(world)
    listed_nomination(world.campaign, world.member2, deeds="带领群众修路架桥。")
    notice = create_notice(world.office, world.campaign, clock.today())
    story = published_story(world, nomination=post, village=village)
    Member.objects.filter(phone="").update(phone="13812345678")
    return notice, story


def public_urls(world, notice, story) -> list[str]:
    return [
        reverse("publicity:public_home", args=[world.town.pk]),
        story.public_path(),
        reverse("publicity:public_poster", args=[world.town.pk]),
        reverse("publicity:public_poster", args=[world.town.pk, "a4"]),
        reverse("publicity:public_poster", args=[world.town.pk, "a3"]),
        reverse("publicity:public_story_poster", args=[world.town.pk, story.pk, "a4"]),
        reverse("publicity:public_story_poster", args=[world.town.pk, story.pk, "a3"]),
        notice.public_path(),
        notice.objection_path(),
        reverse("papers:public_notice", args=[notice.public_id]),
        reverse("notices:public_tracking"),
        reverse("meetings:vote"),
    ]


def test_the_scan_covers_every_public_page(world, populated):
    """A new public view must be added to the scan below."""
    scanned = {"publicity:public_home", "publicity:public_story", "publicity:public_poster", "notices:public_notice"}
    scanned |= {"publicity:public_story_poster", "notices:public_objection"}
    scanned |= {"publicity:public_story_image"}  # a re-encoded JPEG without metadata (tests/test_publicity_stories.py)
    scanned |= {"papers:public_notice", "notices:public_tracking", "meetings:vote", "accounts:login", "core:healthz"}
    assert scanned >= PUBLIC_VIEWS


def test_no_id_number_phone_or_birth_date_on_any_public_url(world, client, populated):
    notice, story = populated
    members = list(Member.objects.exclude(id_number=""))
    assert members and all(m.phone for m in members)
    for url in public_urls(world, notice, story):
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("application/pdf"):
            text = pdf(response.content)[1]
        else:
            text = response.content.decode()
        assert not ID_NUMBER.search(text), url
        assert not MOBILE.search(text), url
        for m in members:
            assert m.id_number not in text and m.phone not in text, url
            birth = m.birth_date
            for shape in (f"{birth:%Y-%m-%d}", f"{birth.year}年{birth.month}月{birth.day}日", f"{birth:%Y%m%d}"):
                assert shape not in text, (url, shape)
    home = client.get(public_urls(world, notice, story)[0]).content.decode()
    assert story.nomination.member.name in home and story.title in home  # the scan saw the honour roll
    for url in public_urls(world, notice, story)[2:7]:  # and the posters' text
        text = pdf(client.get(url).content)[1]
        assert story.nomination.member.name in text or story.title in text, url
