from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "apps.api"
    verbose_name = "接口"

    def ready(self):
        from apps.audit.registry import register_actions

        from .audit import ApiAudit

        register_actions(ApiAudit)
