"""Page rows: a town's public face (no login) and the town's story pages."""

from ..build_publicity import published_story
from ..matrix import Case, expect

PUBLIC = expect(200, anonymous=200)
NOT_FOUND = expect(404, anonymous=404)

CASES = [
    Case("publicity:public_home", "a town's public home", PUBLIC, kwargs=lambda w, u: {"town": w.town.pk}),
    Case("publicity:public_home", "a branch is not a town", NOT_FOUND, kwargs=lambda w, u: {"town": w.village.pk}),
    Case("publicity:public_story", "a published story", PUBLIC, kwargs=lambda w, u: {"town": w.town.pk, "pk": published_story(w).pk}),
    Case(
        "publicity:public_story",
        "a story under another town's address",
        NOT_FOUND,
        kwargs=lambda w, u: {"town": w.other_town.pk, "pk": published_story(w).pk},
    ),
]


def _draft(w, user):
    from apps.publicity.actions import create_story

    return {"pk": create_story(w.office, "镇里的事迹", "正文").pk}


def _far_draft(w, user):
    from apps.publicity.actions import create_story

    return {"pk": create_story(w.other_office, "西岭镇的事迹", "正文").pk}


WRITERS = expect(403, admin=200, office=200, secretary=200, secretary2=200, other_office=200)
# A branch secretary sees only its own branch's stories; the county sees the town's.
TOWN_STORY = expect(404, admin=200, office=200, approver=200, inspector=200, county_user=200)
FAR_STORY = expect(404, admin=200, county_user=200, other_office=200)
TOWN_ACTION = expect(404, admin=422, office=422, approver=403, inspector=403, county_user=403)

CASES += [
    Case(
        "publicity:story_list",
        "stories of my town",
        expect(403, admin=200, office=200, secretary=200, secretary2=200, other_office=200, county_user=200),
    ),
    Case("publicity:story_new", "new story form", WRITERS),
    Case(
        "publicity:story_new",
        "blank story",
        expect(403, admin=422, office=422, secretary=422, secretary2=422, other_office=422),
        method="post",
    ),
    Case("publicity:story_detail", "this town's story", TOWN_STORY, kwargs=_draft),
    Case("publicity:story_detail", "other town's story", FAR_STORY, kwargs=_far_draft, secret=lambda w: "西岭镇的事迹"),
    Case(
        "publicity:story_edit",
        "edit this town's story",
        expect(404, admin=200, office=200, approver=403, inspector=403, county_user=403),
        kwargs=_draft,
    ),
    Case("publicity:story_submit", "submit by GET", expect(405), kwargs=_draft),
    Case("publicity:story_publish", "publish by GET", expect(405), kwargs=_draft),
    Case("publicity:story_unpublish", "unpublish a draft", TOWN_ACTION, kwargs=_draft, method="post"),
]

CASES += [
    Case("publicity:public_poster", "honour roll poster", PUBLIC, kwargs=lambda w, u: {"town": w.town.pk}),
    Case("publicity:public_poster", "a branch has no poster", NOT_FOUND, kwargs=lambda w, u: {"town": w.village.pk}),
    Case("publicity:public_poster", "honour roll poster, A3", PUBLIC, kwargs=lambda w, u: {"town": w.town.pk, "size": "a3"}),
    Case(
        "publicity:public_story_poster",
        "a published story's poster",
        PUBLIC,
        kwargs=lambda w, u: {"town": w.town.pk, "pk": published_story(w).pk, "size": "a4"},
    ),
    Case(
        "publicity:public_story_poster",
        "a story's poster under another town's address",
        NOT_FOUND,
        kwargs=lambda w, u: {"town": w.other_town.pk, "pk": published_story(w).pk, "size": "a3"},
    ),
]


def _with_image(w, user, status="published"):
    from apps.publicity.actions import create_story

    from ..build_villages import image_bytes, upload

    story = create_story(w.office, "有图的事迹", "正文", image=upload("a.png", image_bytes("PNG"), "image/png"))
    if status == "published":
        from apps.publicity.actions import publish_story

        publish_story(w.office, story)
    return story


CASES += [
    Case(
        "publicity:public_story_image",
        "a published story's image",
        PUBLIC,
        kwargs=lambda w, u: {"town": w.town.pk, "pk": _with_image(w, u).pk},
    ),
    Case(
        "publicity:public_story_image",
        "a draft's image is not public",
        NOT_FOUND,
        kwargs=lambda w, u: {"town": w.town.pk, "pk": _with_image(w, u, "draft").pk},
    ),
    Case("publicity:story_image", "this town's story image", TOWN_STORY, kwargs=lambda w, u: {"pk": _with_image(w, u, "draft").pk}),
]

CASES += [
    Case("publicity:story_submit", "submit another town's story", FAR_STORY | {"county_user": 403, "admin": 302, "other_office": 302},
         kwargs=_far_draft, method="post"),
    Case("publicity:story_publish", "publish another town's story", FAR_STORY | {"county_user": 403, "admin": 302, "other_office": 302},
         kwargs=_far_draft, method="post"),
    Case("publicity:story_unpublish", "unpublish another town's story", FAR_STORY | {"county_user": 403, "admin": 422, "other_office": 422},
         kwargs=_far_draft, method="post"),
]  # fmt: skip
