from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "apps.publicity"
    verbose_name = "宣传与公开"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from . import tasks  # noqa: F401  (registers home-page tasks)
        from .audit import PublicityAudit

        register_actions(PublicityAudit)

        from django.db.models.signals import post_save

        from apps.villages.models import Revocation

        from .freshness import revoked

        post_save.connect(revoked, sender=Revocation, dispatch_uid="publicity.revoked")
