from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = "基础"

    def ready(self):
        from . import lookups  # noqa: F401 - registers `__any_of` on every field
