"""manage.py verify_audit: walk the audit hash chain; exit 1 and name the first broken row."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from apps.audit.chain import verify


class Command(BaseCommand):
    help = "校验审计日志哈希链；链断时以状态 1 退出并指出第一条异常记录。"

    def handle(self, *args, **options):
        verdict = verify()
        if verdict.intact:
            self.stdout.write(f"审计链完整：共 {verdict.checked} 条记录。")
            return
        broken = verdict.broken
        self.stderr.write(f"审计链断裂：序号 {broken.seq}（记录编号 {broken.pk or '—'}）。{broken.reason}")
        sys.exit(1)
