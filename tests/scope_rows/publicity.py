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
