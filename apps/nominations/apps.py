from django.apps import AppConfig


class NominationsConfig(AppConfig):
    """示范岗 nominations after the meeting: the branch committee's proposal, submission to the town,
    the town's review and the list reported to the county (参评名单)."""

    name = "apps.nominations"
    verbose_name = "示范岗推选与审批"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from . import tasks  # noqa: F401  (registers home-page tasks)
        from .audit import NominationAudit

        register_actions(NominationAudit)
