"""Import a roster (or 民主评议 grades) from the command line: the web preview's result, then the write."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.actions import ActionError
from apps.roster.actions import apply_import
from apps.roster.choices import ImportKind, RowStatus
from apps.roster.import_scope import import_scope
from apps.roster.models import ImportBatch
from apps.roster.plan import build_plan
from apps.roster.reader import RosterFileError

from ._scope import scope_by_name


class Command(BaseCommand):
    help = "导入党员花名册（.xlsx 或 .csv）。先检查全部行；没有错误行时一次性写入，有错误行时什么也不写。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="花名册文件（.xlsx 或 .csv）")
        parser.add_argument("--scope", metavar="ORG_NAME", help="导入范围：党组织名称（全称或简称），默认全部党组织")
        parser.add_argument("--dry-run", action="store_true", help="只检查、不写入（与网页上的预览相同）")
        parser.add_argument("--json", action="store_true", help="在标准输出打印一个 JSON 对象")
        parser.add_argument("--kind", choices=ImportKind.values, default=ImportKind.MEMBERS, help="导入内容，默认党员花名册")
        parser.add_argument("--year", type=int, help="民主评议结果的默认年度（文件中没有“评议年度”列时）")

    def handle(self, *args, **options):
        path = Path(options["file"])
        as_json = options["json"]
        if not path.is_file():
            return self.fail(f"文件不存在：{path}", as_json)
        scope = import_scope(None, scope_by_name(options["scope"]))
        ImportBatch.objects.purge_stale()
        try:
            with path.open("rb") as stream:
                plan = build_plan(stream, path.name, path.stat().st_size, kind=options["kind"], scope=scope, year=options["year"])
        except RosterFileError as exc:
            return self.fail(str(exc), as_json)
        counts = plan.counts
        applied = False
        message = ""
        if not counts[RowStatus.ERROR] and not options["dry_run"]:
            try:
                result = apply_import(None, plan)
            except ActionError as exc:
                return self.fail("；".join(exc.messages), as_json)
            applied = True
            message = "已导入：" + result.summary(plan.kind)
        report = {
            "file": plan.file_name,
            "sheet": plan.sheet,
            "header_row": plan.header_row,
            "scope": plan.scope_label,
            "counts": {k: counts[k] for k in (*RowStatus.values, "missing", "total")},
            "errors": [{"row": r.row, "reasons": r.errors} for r in plan.error_rows],
            "missing": [{"name": m["name"], "branch": m["branch"], "id_number": m["id"]} for m in plan.missing],
            "extra_columns": plan.extra_columns,
            "dry_run": options["dry_run"],
            "applied": applied,
        }
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            self.print_report(plan, report, message)
        if counts[RowStatus.ERROR]:
            raise CommandError(f"文件中有 {counts[RowStatus.ERROR]} 行错误，未写入任何数据。", returncode=1)

    def print_report(self, plan, report, message: str) -> None:
        where = f"工作表“{plan.sheet}”" if plan.sheet else "CSV"
        self.stdout.write(f"{plan.file_name}：{where}，表头在第 {plan.header_row} 行，导入范围：{plan.scope_label}")
        labels = dict(RowStatus.choices) | {"missing": "可能已转出", "total": "合计"}
        self.stdout.write("，".join(f"{labels[k]} {v}" for k, v in report["counts"].items()))
        if plan.extra_columns:
            self.stdout.write("未识别的列（已忽略）：" + "、".join(plan.extra_columns))
        for row in plan.error_rows:
            for reason in row.errors:
                self.stdout.write(f"第{row.row}行：{reason}")
        for m in plan.missing:
            self.stdout.write(f"可能已转出：{m['name']}（{m['branch']}，{m['id']}）")
        if message:
            self.stdout.write(self.style.SUCCESS(message))
        elif report["dry_run"] and not report["errors"]:
            self.stdout.write("检查通过（--dry-run，未写入）。")

    def fail(self, message: str, as_json: bool):
        if as_json:
            self.stdout.write(json.dumps({"error": message, "applied": False}, ensure_ascii=False))
        raise CommandError(message, returncode=1)
