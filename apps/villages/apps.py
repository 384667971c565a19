from django.apps import AppConfig


class VillagesConfig(AppConfig):
    """共产党员示范村: designation within the quota, the inspection group, the inspection with evidence,
    the 考察报告, the town's report to the county and the county's decision with the plaque."""

    name = "apps.villages"
    verbose_name = "共产党员示范村"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from . import progress, tasks  # noqa: F401  (register the board rows and the home-page tasks)
        from .audit import VillageAudit

        register_actions(VillageAudit)
