from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "apps.roster"
    verbose_name = "花名册导入导出"

    def ready(self) -> None:
        from apps.audit.registry import register_actions

        register_actions(
            {
                "roster.import": "导入党员花名册",
                "roster.import_appraisals": "导入民主评议结果",
                "roster.export_full": "导出完整身份信息",
            }
        )
