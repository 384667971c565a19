"""States of a story (典型事迹)."""

from apps.core.choices import ChoiceSet, coloured


@coloured(DRAFT="grey", SUBMITTED="blue", PUBLISHED="green", UNPUBLISHED="orange")
class StoryStatus(ChoiceSet):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待镇党委审核"
    PUBLISHED = "published", "已发布"
    UNPUBLISHED = "unpublished", "已撤下"
