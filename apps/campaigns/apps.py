from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "apps.campaigns"
    verbose_name = "示范行动"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from . import tasks  # noqa: F401  (registers home-page tasks)

        register_actions(
            {
                "campaign.create": "创建示范行动",
                "campaign.update": "修改实施方案设置",
                "criterion.create": "新增创建标准",
                "criterion.update": "修改创建标准",
                "criterion.delete": "删除创建标准",
            }
        )
