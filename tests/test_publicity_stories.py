"""Stories (典型事迹): sanitized bodies, cleaned images, the branch → town approval, publish / unpublish, audit."""

import io
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied
from django.utils.html import escape
from PIL import Image

from apps.audit.models import AuditLog
from apps.core.actions import ActionError, Conflict
from apps.publicity import actions
from apps.publicity.choices import StoryStatus
from apps.villages.registry import revoke_plaque

from .build_publicity import honoured, published_story
from .build_villages import image_bytes, upload

pytestmark = pytest.mark.django_db

XSS_TITLES = ['<script>alert("t")</script>标题', '"><img src=x onerror=alert(1)>', "<svg onload=alert(1)>"]
XSS_BODIES = [
    '<p>好</p><script>alert("b")</script>',
    '<p onclick="alert(1)">点</p><img src=x onerror="alert(2)">',
    '<a href="javascript:alert(3)">链接</a><iframe src="//evil"></iframe>',
    '<p style="background:url(javascript:alert(4))">样式</p><object data="x"></object>',
]


@pytest.mark.parametrize("title", XSS_TITLES)
@pytest.mark.parametrize("body", XSS_BODIES)
def test_xss_in_title_and_body_is_neutralized(world, client, title, body):
    story = actions.create_story(world.office, title, body + "<p>正文</p>")
    actions.publish_story(world.office, story)
    page = client.get(story.public_path()).content.decode()
    tags = Tags()
    tags.feed(page)
    own_scripts = {t for t, a in tags.seen if t == "script" and dict(a).get("src", "").startswith("/static/")}
    assert len(own_scripts) <= 1  # htmx from our static files, nothing else
    assert not [t for t, a in tags.seen if t == "script" and not dict(a).get("src", "").startswith("/static/")]
    assert not {"iframe", "object", "img"} & {t for t, _ in tags.seen}  # the story has no image
    for tag, attrs in tags.seen:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            assert "javascript:" not in (value or "").lower(), (tag, name)
    assert "正文" in page and escape(story.title) in page


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, attrs))


def test_simple_formatting_is_kept_and_plain_text_gets_paragraphs(world):
    story = actions.create_story(world.office, "标题", "<p><strong>加粗</strong><em>斜体</em></p><ul><li>一</li></ul>")
    assert "<strong>加粗</strong>" in story.body and "<li>一</li>" in story.body
    plain = actions.create_story(world.office, "标题", "第一段\n\n第二段 <b>")
    assert plain.body.startswith("<p>第一段</p>")


def test_blank_title_or_body_is_refused_without_a_row(world):
    with pytest.raises(ActionError) as exc:
        actions.create_story(world.office, "  ", "<script>only</script>")
    assert "请填写标题。" in exc.value.messages and "请填写正文。" in exc.value.messages


def test_image_is_resized_and_loses_its_exif(world):
    big = Image.new("RGB", (3000, 2000), "red")
    exif = Image.Exif()
    exif[0x010F] = "相机厂商"
    buf = io.BytesIO()
    big.save(buf, "JPEG", exif=exif)
    story = actions.create_story(world.office, "图", "正文", image=upload("family-holiday.jpg", buf.getvalue()))
    with story.image.open("rb") as f:
        img = Image.open(io.BytesIO(f.read()))
        assert max(img.size) == 1280
        assert not img.getexif()
    assert "family-holiday" not in story.image.name  # stored under a generated name


def test_gps_photo_is_stripped(world):
    story = actions.create_story(world.office, "图", "正文", image=upload("g.jpg", image_bytes("JPEG", gps=True)))
    with story.image.open("rb") as f:
        assert not Image.open(io.BytesIO(f.read())).getexif()


def test_not_an_image_is_refused(world):
    with pytest.raises(ActionError) as exc:
        actions.create_story(world.office, "图", "正文", image=upload("x.jpg", b"%PDF-1.4 not an image", "image/jpeg"))
    assert "JPEG 或 PNG" in exc.value.messages[0]


def test_branch_drafts_and_submits_town_publishes(world, client):
    story = actions.create_story(world.secretary, "支部的事迹", "正文")
    assert story.org == world.village and story.status == StoryStatus.DRAFT
    with pytest.raises(PermissionDenied):
        actions.publish_story(world.secretary, story)
    actions.submit_story(world.secretary, story)
    with pytest.raises(Conflict):
        actions.submit_story(world.secretary, story)
    with pytest.raises(ActionError):
        actions.edit_story(world.secretary, story, "改", "改")
    assert client.get(f"/public/towns/{world.town.pk}/").content.decode().count("支部的事迹") == 0
    actions.publish_story(world.office, story)
    assert "支部的事迹" in client.get(f"/public/towns/{world.town.pk}/").content.decode()
    actions.unpublish_story(world.office, story)
    assert "支部的事迹" not in client.get(f"/public/towns/{world.town.pk}/").content.decode()
    codes = list(AuditLog.objects.filter(action__startswith="story.").order_by("pk").values_list("action", flat=True))
    assert codes == ["story.create", "story.submit", "story.publish", "story.unpublish"]


def test_other_branch_cannot_see_a_branch_draft(world, login):
    story = actions.create_story(world.secretary, "支部的事迹", "正文")
    assert login(world.secretary2).get(story.get_absolute_url()).status_code == 404
    assert login(world.other_office).get(story.get_absolute_url()).status_code == 404
    assert login(world.office).get(story.get_absolute_url()).status_code == 200


def test_link_to_a_commended_member_or_village_and_revocation_blocks_publishing(world):
    post, village = honoured(world)
    story = actions.create_story(world.office, "示范岗事迹", "正文", nomination=post, village=village)
    revoke_plaque(world.approver, post, "受到处分")
    assert actions.publish_story_blockers(world.office, story)
    with pytest.raises(ActionError):
        actions.publish_story(world.office, story)


def test_link_to_a_not_commended_nomination_is_refused(world):
    from .build_notices import listed_nomination

    nomination = listed_nomination(world.campaign, world.member)
    with pytest.raises(ActionError):
        actions.create_story(world.office, "标题", "正文", nomination=nomination)


def test_pages_create_and_publish(world, login):
    client = login(world.office)
    response = client.post("/stories/new/", {"title": "<b>页面</b>事迹", "body": "<p>正文<script>x()</script></p>"})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "&lt;b&gt;页面&lt;/b&gt;事迹" in detail and "<script>x()" not in detail
    pk = response["Location"].rstrip("/").split("/")[-1]
    assert client.post(f"/stories/{pk}/publish/").status_code == 302
    again = client.post(f"/stories/{pk}/publish/")
    assert again.status_code == 422 and "该事迹已发布" in again.content.decode()
    assert client.post("/stories/new/", {"title": "", "body": ""}).status_code == 422


def test_public_story_page_names_no_personal_data(world, client):
    post, _ = honoured(world)
    story = published_story(world, nomination=post)
    page = client.get(story.public_path()).content.decode()
    assert post.member.name in page
    assert post.member.id_number not in page


def test_published_image_is_served_without_metadata_and_shared(world, client):
    story = actions.create_story(world.office, "图", "正文", image=upload("g.jpg", image_bytes("JPEG", gps=True)))
    url = f"/public/towns/{world.town.pk}/stories/{story.pk}/image.jpg"
    assert client.get(url).status_code == 404  # not yet published
    actions.publish_story(world.office, story)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert not Image.open(io.BytesIO(b"".join(response.streaming_content))).getexif()
    page = client.get(story.public_path()).content.decode()
    assert 'property="og:image"' in page and url in page


def test_town_home_lists_submitted_stories_to_approve(world, login):
    story = actions.create_story(world.secretary, "支部的事迹", "正文")
    assert "审核支部报送的典型事迹" not in login(world.office).get("/").content.decode()
    actions.submit_story(world.secretary, story)
    assert "审核支部报送的典型事迹（1 篇）" in login(world.office).get("/").content.decode()
    assert "审核支部报送的典型事迹" not in login(world.other_office).get("/").content.decode()
