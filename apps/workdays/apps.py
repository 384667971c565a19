from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    """Working days in China: weekends, statutory holidays and their adjusted working days (调休)."""

    name = "apps.workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from .audit import WorkdaysAudit

        register_actions(WorkdaysAudit)
