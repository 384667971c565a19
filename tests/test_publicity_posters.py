"""Printable posters (issue 10): the honour roll and a story, A4 and A3 PDFs drawn by apps/papers' pipeline,
with a QR code of the public page; download buttons on the public and the town office's pages."""

import pytest
from django.urls import reverse

from apps.publicity import actions
from apps.publicity.poster import body_paragraphs

from .build_publicity import honoured, published_story
from .build_villages import image_bytes, upload
from .paper_checks import assert_cjk_embedded, assert_not_blank, assert_private, pdf

pytestmark = pytest.mark.django_db

# PDF points (1/72 inch): A4 is 210 × 297 mm, A3 297 × 420 mm.
PAGE_POINTS = {"a4": (595.28, 841.89), "a3": (841.89, 1190.55)}


def assert_page_size(reader, size: str) -> None:
    for page in reader.pages:
        box = page.mediabox
        got = (float(box.width), float(box.height))
        assert all(abs(g - w) < 1.0 for g, w in zip(got, PAGE_POINTS[size], strict=True)), (size, got)


def get_pdf(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response


@pytest.mark.parametrize("size", ["a4", "a3"])
def test_honour_roll_poster_in_both_sizes(world, client, size):
    post, village = honoured(world)
    response = get_pdf(client, reverse("publicity:public_poster", args=[world.town.pk, size]))
    assert f"-{size.upper()}.pdf" in response["Content-Disposition"]
    reader, text = pdf(response.content)
    assert_page_size(reader, size)
    assert_cjk_embedded(reader)
    assert "光荣榜" in text and f"{world.campaign.year}年度" in text
    assert post.member.name in text and post.org.name in text and village.org.name in text
    assert_private(text, post.member)
    assert_not_blank(response.content)


def test_the_first_poster_address_stays_a4(world, client):
    reader, _ = pdf(get_pdf(client, reverse("publicity:public_poster", args=[world.town.pk])).content)
    assert_page_size(reader, "a4")


@pytest.mark.parametrize("size", ["a4", "a3"])
def test_story_poster_has_title_body_image_and_qr(world, client, size):
    post, village = honoured(world)
    story = actions.create_story(
        world.office,
        "扎根乡村的带头人",
        "<h3>修路</h3><p>带领群众修通进村公路。</p><ul><li>发展茶叶产业</li></ul>",
        image=upload("p.jpg", image_bytes("JPEG", size=(400, 300))),
        nomination=post,
    )
    actions.publish_story(world.office, story)
    response = get_pdf(client, reverse("publicity:public_story_poster", args=[world.town.pk, story.pk, size]))
    reader, text = pdf(response.content)
    assert_page_size(reader, size)
    for words in ("扎根乡村的带头人", "带领群众修通进村公路", "发展茶叶产业", post.member.name, "扫码阅读全文"):
        assert words in text, words
    assert_private(text, post.member)
    images = [x.get_object() for page in reader.pages for x in (page["/Resources"].get("/XObject") or {}).values()]
    assert any(x.get("/Subtype") == "/Image" and int(x["/Width"]) == 400 for x in images)  # the story's photo


def test_story_poster_without_an_image(world, client):
    story = published_story(world)
    _, text = pdf(get_pdf(client, reverse("publicity:public_story_poster", args=[world.town.pk, story.pk, "a4"])).content)
    assert story.title in text and "带领群众发展产业" in text


def test_unpublished_or_foreign_story_has_no_poster(world, client):
    draft = published_story(world, title="草稿", status="draft")
    assert client.get(reverse("publicity:public_story_poster", args=[world.town.pk, draft.pk, "a4"])).status_code == 404
    story = published_story(world)
    assert client.get(reverse("publicity:public_story_poster", args=[world.other_town.pk, story.pk, "a4"])).status_code == 404
    assert client.get(f"/public/towns/{world.town.pk}/stories/{story.pk}/poster-a5.pdf").status_code == 404
    assert client.get(f"/public/towns/{world.town.pk}/poster-a5.pdf").status_code == 404


def test_unpublishing_takes_the_poster_down_at_once(world, client):
    story = published_story(world)
    url = reverse("publicity:public_story_poster", args=[world.town.pk, story.pk, "a4"])
    get_pdf(client, url)  # now cached
    actions.unpublish_story(world.office, story)
    assert client.get(url).status_code == 404


def test_body_paragraphs_follow_the_sanitized_markup():
    html = "<p>第一段<br>第二行</p><h3>小标题</h3><ol><li>一</li><li>二</li></ol><blockquote>引语</blockquote>"
    assert body_paragraphs(html) == [
        ("第一段", "para"),
        ("第二行", "para"),
        ("小标题", "heading"),
        ("一", "item"),
        ("二", "item"),
        ("引语", "para"),
    ]


def test_download_buttons_on_public_and_office_pages(world, client, login):
    story = published_story(world)
    home = client.get(reverse("publicity:public_home", args=[world.town.pk])).content.decode()
    page = client.get(story.public_path()).content.decode()
    office = login(world.office)
    detail = office.get(story.get_absolute_url()).content.decode()
    listing = office.get(reverse("publicity:story_list")).content.decode()
    for size in ("a4", "a3"):
        honour = reverse("publicity:public_poster", args=[world.town.pk, size])
        story_poster = reverse("publicity:public_story_poster", args=[world.town.pk, story.pk, size])
        assert honour in home and honour in listing
        assert story_poster in page and story_poster in detail
    draft = published_story(world, title="草稿", status="draft")
    assert "poster-a4.pdf" not in office.get(draft.get_absolute_url()).content.decode()  # its QR code would lead nowhere
