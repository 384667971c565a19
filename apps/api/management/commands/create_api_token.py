"""`manage.py create_api_token USERNAME` prints a new API token for that user as its only output line."""

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import User
from apps.core.actions import ActionError

from ...actions import DEFAULT_DAYS, create_api_token


class Command(BaseCommand):
    help = "为指定账号创建接口令牌，输出令牌（仅此一行）。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"有效天数（默认 {DEFAULT_DAYS}）")
        parser.add_argument("--name", default="命令行创建", help="令牌用途")

    def handle(self, username, days, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"账号“{username}”不存在。")
        try:
            _row, token = create_api_token(user, name=name, days=days, actor=None)
        except ActionError as exc:
            raise CommandError("；".join(exc.blockers)) from exc
        self.stdout.write(token)
