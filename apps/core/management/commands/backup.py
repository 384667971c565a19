"""manage.py backup FILE: a consistent copy of the database while the system keeps running.

SQLite: the online backup API (pages copied under a read lock, writers continue in WAL mode).
PostgreSQL: pg_dump in its custom format (restore with `manage.py restore`, i.e. pg_restore)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore; the password goes through the environment."""
    s = connection.settings_dict
    args = ["--dbname", s["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if s.get(key):
            args += [flag, str(s[key])]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


class Command(BaseCommand):
    help = "在线备份数据库到指定文件（SQLite 用在线备份接口，PostgreSQL 用 pg_dump）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件路径")

    def handle(self, *args, file: str, **options):
        target = Path(file)
        if target.exists():
            raise CommandError(f"文件已存在，不覆盖：{target}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            partial = target.with_name(target.name + ".partial")
            dest = sqlite3.connect(partial)
            try:
                connection.connection.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                dest.close()
            partial.rename(target)
        elif connection.vendor == "postgresql":
            args, env = pg_env()
            program = shutil.which("pg_dump")
            if program is None:
                raise CommandError("找不到 pg_dump，请安装 PostgreSQL 客户端。")
            done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [program, "--format=custom", "--no-owner", "--file", str(target), *args],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                target.unlink(missing_ok=True)
                raise CommandError(f"pg_dump 失败：{done.stderr.strip()[-500:]}")
        else:
            raise CommandError(f"不支持的数据库：{connection.vendor}")
        self.stdout.write(f"已备份到 {target}（{target.stat().st_size} 字节）。")
