from django.apps import AppConfig


class CommendationsConfig(AppConfig):
    """表彰奖励: the town's commendation decision after the notice, with numbered certificates."""

    name = "apps.commendations"
    verbose_name = "表彰奖励"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from . import tasks  # noqa: F401  (registers home-page tasks)
        from .audit import CommendationAudit

        register_actions(CommendationAudit)
