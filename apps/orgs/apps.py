from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "apps.orgs"
    verbose_name = "党组织与党员"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        from . import tasks  # noqa: F401  (registers home-page tasks)

        register_actions(
            {
                "member.create": "新增党员",
                "member.update": "修改党员信息",
                "member.transfer": "组织关系/状态变更",
                "member.reveal": "查看完整身份信息",
                "appraisal.create": "录入民主评议",
                "appraisal.update": "修改民主评议",
                "org.create": "新建党组织",
                "org.update": "修改党组织",
            }
        )
