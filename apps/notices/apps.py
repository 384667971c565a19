from django.apps import AppConfig


class NoticesConfig(AppConfig):
    """公示: the 参评名单 posted for the notice length; objections, their investigation and conclusion."""

    name = "apps.notices"
    verbose_name = "公示与异议"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from . import tasks  # noqa: F401  (registers home-page tasks)
        from .audit import NoticeAudit

        register_actions(NoticeAudit)
