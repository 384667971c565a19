from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        register_actions(
            {
                "user.create": "新建账号",
                "user.update": "修改账号",
                "user.password": "修改/重置密码",
                "user.login": "登录",
                "user.login_failed": "登录失败",
            }
        )
        from . import signals  # noqa: F401
