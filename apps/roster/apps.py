from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "apps.roster"
    verbose_name = "花名册导入导出"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from .audit import RosterAudit

        register_actions(RosterAudit)
