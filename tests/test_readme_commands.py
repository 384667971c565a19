"""The README's `manage.py` lines work as written on a machine where `make run` has run.

`make run` leaves a key file (.secret_key) and a demo database behind; a newcomer then copies the
README's command lines verbatim, with no SECRET_KEY in the environment. Each line runs here in a
subprocess against a fresh demo database, with the key read from a key file as settings do.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PREFIX = ".venv/bin/python manage.py "


def readme_command_lines() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith(PREFIX):
                lines.append(line[len(PREFIX) :])
    return lines


def _env(tmp_path: Path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEMO_MODE", "TESTING", "DATABASE_URL", "DEBUG"}}
    env.update(SQLITE_PATH=str(tmp_path / "db.sqlite3"), SECRET_KEY_FILE=str(tmp_path / ".secret_key"), **extra)
    return env


def _manage(tmp_path: Path, args: str, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py with arguments from our own README
        [sys.executable, str(ROOT / "manage.py"), *args.split()],
        cwd=tmp_path,
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_readme_has_command_lines():
    lines = readme_command_lines()
    assert any(line.startswith("import_roster") for line in lines)
    assert any(line.startswith("export_roster") for line in lines)


def test_readme_command_lines_run_as_written(tmp_path):
    (tmp_path / ".secret_key").write_text("readme-test-key-" + "x" * 40 + "\n", encoding="utf-8")
    for setup in ("migrate --noinput -v0", "load_demo"):
        done = _manage(tmp_path, setup, DEMO_MODE="1")
        assert done.returncode == 0, done.stderr
    lines = readme_command_lines()
    # The export lines write the files the import lines read: a file the README doesn't export is the
    # export of the same --scope.
    exports = {_scope(line): line.split()[1] for line in lines if line.startswith("export_roster")}
    for line in sorted(lines, key=lambda line: not line.startswith("export_roster")):
        if line.startswith("import_roster") and not (tmp_path / line.split()[1]).exists():
            shutil.copy(tmp_path / exports[_scope(line)], tmp_path / line.split()[1])
        done = _manage(tmp_path, line)
        assert done.returncode == 0, f"manage.py {line}\n{done.stdout}\n{done.stderr}"
        assert "ImproperlyConfigured" not in done.stderr


def _scope(line: str) -> str:
    words = line.split()
    return words[words.index("--scope") + 1] if "--scope" in words else ""


def test_without_any_key_the_message_says_how_to_set_one(tmp_path):
    done = _manage(tmp_path, "check")
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr and ".secret_key" in done.stderr


@pytest.mark.parametrize("line", ["check"])
def test_a_key_file_is_enough(tmp_path, line):
    (tmp_path / ".secret_key").write_text("k" * 50, encoding="utf-8")
    assert _manage(tmp_path, line).returncode == 0
