from django.apps import AppConfig
from django.db.models import F, Func, IntegerField, OuterRef, Subquery


class OversightConfig(AppConfig):
    name = "apps.oversight"
    verbose_name = "督促检查"

    def ready(self) -> None:
        from apps.accounts.sessions import user_value
        from apps.audit.registry import register_actions

        from . import tasks  # noqa: F401  (registers home-page tasks)
        from .audit import OversightAudit

        register_actions(OversightAudit)
        # The unread reminders, read with the session: the navigation shows them on every page, the home page as a task.
        user_value("unread_notifications", unread_column)


def unread_column():
    """The session's user's unread reminders, as a column of the session's query (apps/accounts/sessions.py)."""
    from .models import Notification

    # COUNT as a plain function, not Django's aggregate: no GROUP BY, so one row (0 when none) and no parameter.
    count = Func(F("pk"), function="COUNT", output_field=IntegerField())
    return Subquery(Notification.objects.unread().filter(user=OuterRef("user_id")).order_by().annotate(n=count).values("n"))
