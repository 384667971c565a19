from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "apps.oversight"
    verbose_name = "督促检查"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from . import tasks  # noqa: F401  (registers home-page tasks)
        from .audit import OversightAudit

        register_actions(OversightAudit)
