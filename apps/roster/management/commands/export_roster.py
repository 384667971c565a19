"""Export the active members of a scope with full ID numbers, in the layout import_roster reads back."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.orgs.models import Member
from apps.roster.actions import record_export
from apps.roster.export import write_members

from ._scope import scope_by_name


class Command(BaseCommand):
    help = "导出在册党员花名册（.xlsx，含完整身份证号，记入审计日志）。导出的文件可直接再导入。"

    def add_arguments(self, parser):
        parser.add_argument("out", help="输出文件（.xlsx）")
        parser.add_argument("--scope", metavar="ORG_NAME", help="导出范围：党组织名称（全称或简称），默认全部党组织")

    def handle(self, *args, **options):
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError("输出文件的扩展名应为 .xlsx。")
        root = scope_by_name(options["scope"])
        members = Member.objects.active()
        what = "全部党组织在册党员"
        if root is not None:
            members = members.under(root)
            what = f"{root}在册党员"
        with transaction.atomic():
            with out.open("wb") as stream:
                count = write_members(stream, members, full=True, what=what)
            record_export(None, count=count, what=what, full=True, town=root.town() if root is not None else None)
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 名党员到 {out}（含完整身份证号，已记入审计日志）。"))
