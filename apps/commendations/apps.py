from django.apps import AppConfig


class CommendationsConfig(AppConfig):
    """表彰奖励: the town's commendation decision after the notice, with numbered certificates."""

    name = "apps.commendations"
    verbose_name = "表彰奖励"
