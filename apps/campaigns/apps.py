from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "apps.campaigns"
    verbose_name = "示范行动"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from . import tasks  # noqa: F401  (registers home-page tasks)
        from .audit import CampaignAudit

        register_actions(CampaignAudit)
