"""manage.py restore FILE: replace the configured database with a backup made by `manage.py backup`.

Stop the server first. SQLite: the backup is checked (integrity, Django's tables present) and copied in
with the online backup API. PostgreSQL: pg_restore --clean into the configured database."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup import pg_env


def _check_sqlite(path: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = source.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise CommandError(f"不是有效的 SQLite 备份文件：{exc}") from None
    if ok != "ok":
        raise CommandError(f"备份文件已损坏：{ok}")
    if "django_migrations" not in tables:
        raise CommandError("备份文件中没有本系统的数据表。")


class Command(BaseCommand):
    help = "用备份文件恢复数据库（先停止服务）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="由 manage.py backup 生成的备份文件")

    def handle(self, *args, file: str, **options):
        source_path = Path(file)
        if not source_path.is_file():
            raise CommandError(f"找不到备份文件：{source_path}")
        if connection.vendor == "sqlite":
            _check_sqlite(source_path)
            connection.ensure_connection()
            source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
            connection.close()
        elif connection.vendor == "postgresql":
            args, env = pg_env()
            program = shutil.which("pg_restore")
            if program is None:
                raise CommandError("找不到 pg_restore，请安装 PostgreSQL 客户端。")
            done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [program, "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(source_path)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise CommandError(f"pg_restore 失败：{done.stderr.strip()[-500:]}")
            connection.close()
        else:
            raise CommandError(f"不支持的数据库：{connection.vendor}")
        self.stdout.write(f"已从 {source_path} 恢复数据库。请运行 manage.py verify_audit 核对审计链。")
