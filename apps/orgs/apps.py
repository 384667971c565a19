from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "apps.orgs"
    verbose_name = "党组织与党员"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from . import tasks  # noqa: F401  (registers home-page tasks)
        from .audit import OrgAudit

        register_actions(OrgAudit)
