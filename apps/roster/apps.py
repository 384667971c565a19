from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "apps.roster"
    verbose_name = "花名册导入导出"
