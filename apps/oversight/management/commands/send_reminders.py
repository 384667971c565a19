"""`manage.py send_reminders`: store the due in-app reminders (run by cron or a systemd timer; idempotent)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.oversight.reminders import send_reminders


class Command(BaseCommand):
    help = "生成到期提醒（截止临近、退回、异议、待审批、整改逾期）；重复运行不会重复提醒。"

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="按该日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, date, **options):
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"日期“{date}”格式不正确，应为 YYYY-MM-DD。") from exc
        new = send_reminders(day)
        self.stdout.write(f"新提醒 {len(new)} 条。")
