from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """The branch general meeting (支部党员大会): attendance, candidates and the secret ballot."""

    name = "apps.meetings"
    verbose_name = "支部党员大会与民主推荐"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from . import tasks  # noqa: F401  (registers home-page tasks)
        from .audit import MeetingAudit

        register_actions(MeetingAudit)
