from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from .audit import AccountAudit

        register_actions(AccountAudit)
        from . import signals  # noqa: F401
