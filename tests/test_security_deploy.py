"""Web: `manage.py check --deploy` is clean under production settings; the CSP forbids plugins, <base> and framing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _production_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"TESTING", "DEBUG", "DEMO_MODE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return (
        env
        | {
            "DEBUG": "0",
            "SECURE_COOKIES": "1",
            "BEHIND_PROXY": "1",
            "SECRET_KEY": "prod-like-" + "Zq8-v" * 12,
            "ALLOWED_HOSTS": "dangyuan.example.org",
        }
        | extra
    )


def _run(code_or_args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *code_or_args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    done = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env(SQLITE_PATH=str(tmp_path / "x.sqlite3")))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_settings_values(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
        "list(s.SECURE_PROXY_SSL_HEADER), s.AUDIT_RETENTION_DAYS]))"
    )
    env = _production_env(SQLITE_PATH=str(tmp_path / "x.sqlite3"), DJANGO_SETTINGS_MODULE="config.settings")
    done = _run(["-c", code], env)
    assert done.returncode == 0, done.stderr
    debug, session_secure, csrf_secure, hsts, redirect, proxy, retention = __import__("json").loads(done.stdout.strip())
    assert (debug, session_secure, csrf_secure, redirect) == (False, True, True, True)
    assert hsts >= 180 * 24 * 3600
    assert proxy == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert retention >= 183


def test_retention_below_six_months_is_refused(tmp_path):
    env = _production_env(SQLITE_PATH=str(tmp_path / "x.sqlite3"), AUDIT_RETENTION_DAYS="30")
    done = _run(["manage.py", "check"], env)
    assert done.returncode != 0 and "AUDIT_RETENTION_DAYS" in done.stderr


def test_csp_forbids_plugins_base_and_framing(world, login):
    policy = login(world.office).get("/")["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"]


def test_a_browser_preferring_english_still_gets_the_chinese_ui(client, db):
    """Django's own strings (field names, form errors) in the UI's language, whatever Accept-Language says."""
    response = client.post("/accounts/login/", {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert "请填写用户名。" in html and "Username" not in html
    assert response.headers.get("Content-Language", "zh-hans") == "zh-hans"  # never "en"
    assert '<html lang="zh-Hans">' in html
