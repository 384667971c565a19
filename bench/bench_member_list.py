"""Member list at county scale, served by the real production server, measured with wrk.

A throwaway SQLite database (and, when PostgreSQL's server binaries are installed, a throwaway
PostgreSQL cluster via scripts/with-postgres.sh) gets `migrate` + `gen_county` (≈32,000 members);
gunicorn then serves it with production settings (DEBUG off, no TESTING, manifest static files) on a
free loopback port, as `make run` does (2 workers × 4 threads). wrk (2 threads, 8 connections, 5 s
after a 1 s warm-up) measures the member list as the county reviewer (all 32,000 members) and as a
town office (first page, a later page, a name search), each right after its own hello-world run
(/healthz, no database): the row's ratio is the page's req/s over that baseline, so load from other
work on the machine weighs on both alike. The anonymous login page (a template, no database) is
measured the same way as a reference for what any rendered page costs. Target: ratio ≥ 0.40.

Also runnable alone: `python bench/bench_member_list.py` (SQLite and PostgreSQL) or
`python bench/bench_member_list.py --child` (only the database DATABASE_URL names, rows as JSON).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin" if (ROOT / ".venv" / "bin" / "gunicorn").exists() else Path(sys.executable).parent
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
WRK = shutil.which("wrk") or "/usr/bin/wrk"

TARGET_RATIO = 0.40
DURATION_S = 5
WARMUP_S = 1
THREADS = 2
CONNECTIONS = 8
# Settings that must not leak from the runner (which sets TESTING=1) into the measured server.
SCRUB_ENV = (
    "TESTING",
    "DEBUG",
    "DEMO_MODE",
    "SQLITE_PATH",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "ALLOWED_HOSTS",
    "CONN_MAX_AGE",
    "SECURE_COOKIES",
    "BEHIND_PROXY",
    "LOG_LEVEL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
SEARCH = "王"

LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d socket_errors=%d status_errors=%d p50_us=%.0f p90_us=%.0f p95_us=%.0f p99_us=%.0f\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99)))
end
"""

SESSIONS_SCRIPT = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from apps.accounts.models import User
keys = {}
for name in ("gen_county_reviewer", "gen_town_office"):
    user = User.objects.get(username=name)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    keys[name] = store.session_key
print("SESSIONS " + json.dumps(keys))
"""


def run() -> list[dict]:
    if not Path(WRK).exists():
        return [_fail("member_list", "wrk not installed (make bench-deps)")]
    rows = measure_backend("sqlite")
    rows += _postgres_rows()
    return rows


# --- one database: set up, serve, measure ---------------------------------------------------------


def measure_backend(label: str, database_url: str | None = None) -> list[dict]:
    bench = f"member_list[{label}]"
    tmp = Path(tempfile.mkdtemp(prefix="shifan-bench-"))
    server: subprocess.Popen | None = None
    try:
        env = _server_env(tmp, database_url)
        _manage(env, "migrate", "--noinput", "-v0", timeout=300)
        _manage(env, "collectstatic", "--noinput", "-v0", timeout=120)
        started = time.monotonic()
        _manage(env, "gen_county", "--password", secrets.token_urlsafe(16), timeout=600)
        gen_seconds = time.monotonic() - started
        out = _manage(env, "shell", "-c", SESSIONS_SCRIPT, timeout=120)
        sessions = json.loads(out.split("SESSIONS ", 1)[1].splitlines()[0])
        county_cookie = f"sessionid={sessions['gen_county_reviewer']}"
        town_cookie = f"sessionid={sessions['gen_town_office']}"

        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = _start_server(env, port, tmp)
        _wait_ready(base + "/healthz", server, timeout=60)

        lua = tmp / "done.lua"
        lua.write_text(LUA_DONE, encoding="utf-8")
        q = urllib.request.quote(SEARCH)
        endpoints = [
            # (measure, path, cookie, text the page must contain)
            ("county reviewer /members/", "/members/", county_cookie, "共 32000 条"),
            ("county reviewer /members/?page=400", "/members/?page=400", county_cookie, "第 400 /"),
            ("town office /members/", "/members/", town_cookie, "第 1 /"),
            ("town office /members/?page=12", "/members/?page=12", town_cookie, "第 12 /"),
            (f"town office /members/?q={SEARCH}", f"/members/?q={q}", town_cookie, "条"),
        ]
        for _, path, cookie, expect in endpoints:
            _check_page(base + path, cookie, expect)

        rows = [{"benchmark": bench, "measure": "gen_county (32k members)", "value": gen_seconds, "unit": "s"}]
        # Each page is measured right after its own hello-world run: other load on the machine then
        # weighs on both sides of the ratio alike.
        pages = [("GET /accounts/login/ (template, no DB; reference)", "/accounts/login/", None, None)] + endpoints
        for i, (measure, path, cookie, _) in enumerate(pages):
            hello = _wrk(base + "/healthz", None, lua)
            if i == 0:
                rows.append({"benchmark": bench, "measure": "GET /healthz (hello world)", "value": hello["rps"], "unit": "req/s"})
                rows.append({"benchmark": bench, "measure": "GET /healthz p95", "value": hello["p95_ms"], "unit": "ms"})
            result = _wrk(base + path, cookie, lua)
            ratio = result["rps"] / hello["rps"] if hello["rps"] else 0.0
            row = {
                "benchmark": bench,
                "measure": measure,
                "value": result["rps"],
                "unit": "req/s",
                "baseline": hello["rps"],
                "ratio": ratio,
            }
            if cookie:  # the member list pages carry the target
                row.update(target=f"≥{TARGET_RATIO:.2f}", ok=ratio >= TARGET_RATIO)
            rows.append(row)
            rows.append({"benchmark": bench, "measure": f"{measure} p95", "value": result["p95_ms"], "unit": "ms"})
        return rows
    except Exception as exc:  # a broken benchmark is a failed row, not a crashed runner
        log = tmp / "gunicorn.log"
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:] if log.exists() else ""
        print(f"{bench}: {exc}\n{tail}", file=sys.stderr, flush=True)
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return [_fail(bench, f"error: {(lines[-1] if lines else type(exc).__name__)[:100]}")]
    finally:
        if server is not None:
            _stop_server(server)
        shutil.rmtree(tmp, ignore_errors=True)


def _server_env(tmp: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUB_ENV and k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        SQLITE_PATH=str(tmp / "bench.sqlite3"),
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _manage(env: dict[str, str], *args: str, timeout: float) -> str:
    proc = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed ({proc.returncode}): {proc.stderr.strip()[-1500:]}")
    return proc.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(env: dict[str, str], port: int, tmp: Path) -> subprocess.Popen:
    log = open(tmp / "gunicorn.log", "wb")  # noqa: SIM115 - closed when the server stops
    cmd = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        "--error-logfile",
        "-",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    proc._bench_log = log  # type: ignore[attr-defined]
    return proc


def _stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # gunicorn and its workers: the session we started
        proc.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    finally:
        log = getattr(proc, "_bench_log", None)
        if log:
            log.close()


def _wait_ready(url: str, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _check_page(url: str, cookie: str, expect: str) -> None:
    """Refuse to measure a login redirect or an error page: wrk counts 3xx as success."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with opener.open(request, timeout=30) as response:
            status, body = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{url} answered {exc.code}") from None
    if status != 200 or "党员名册" not in body or expect not in body:
        raise RuntimeError(f"{url} did not render the member list (status {status}, expected {expect!r})")


def _wrk(url: str, cookie: str | None, lua: Path) -> dict:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    common = [WRK, f"-t{THREADS}", f"-c{CONNECTIONS}", "--timeout", "5s", "--latency", "-s", str(lua), *headers, url]
    subprocess.run([*common[:3], f"-d{WARMUP_S}s", *common[3:]], capture_output=True, timeout=WARMUP_S + 30, check=True)
    proc = subprocess.run([*common[:3], f"-d{DURATION_S}s", *common[3:]], capture_output=True, text=True, timeout=DURATION_S + 30)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed: {proc.stderr.strip()[:200]}")
    return _parse_wrk(proc.stdout)


def _parse_wrk(out: str) -> dict:
    m = re.search(r"^BENCH (.*)$", out, re.MULTILINE)
    if not m:
        raise RuntimeError("wrk printed no summary")
    stats = {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())}
    if stats["requests"] == 0:
        raise RuntimeError("wrk completed no request")
    bad = stats["socket_errors"] + stats["status_errors"]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad or non2xx:
        raise RuntimeError(f"wrk saw errors: {int(bad)} socket/status, {non2xx.group(1) if non2xx else 0} non-2xx")
    rps_line = re.search(r"Requests/sec:\s+([\d.]+)", out)
    rps = float(rps_line.group(1)) if rps_line else stats["requests"] / (stats["duration_us"] / 1e6)
    return {
        "rps": rps,
        "p50_ms": stats["p50_us"] / 1000,
        "p90_ms": stats["p90_us"] / 1000,
        "p95_ms": stats["p95_us"] / 1000,
        "p99_ms": stats["p99_us"] / 1000,
    }


def _fail(bench: str, measure: str) -> dict:
    return {"benchmark": bench, "measure": measure, "value": "", "unit": "", "ok": False}


# --- PostgreSQL (optional): a throwaway cluster from scripts/with-postgres.sh --------------------


def _postgres_rows(script: Path | None = None, bench: str = "member_list") -> list[dict]:
    """Run `script --child` against a throwaway PostgreSQL cluster (scripts/with-postgres.sh) and return the
    rows it prints on its `ROWS <json>` line. Shared by the benchmarks that measure both databases."""
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        return []  # optional: the server binaries come with `make bench-deps`
    script = script or Path(__file__).resolve()
    cmd = [str(ROOT / "scripts" / "with-postgres.sh"), PYTHON, str(script), "--child"]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=900)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)  # the child stops its server; the script removes the cluster
        try:
            proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
        return [_fail(f"{bench}[postgresql]", "timed out")]
    if err.strip():
        print(err.strip()[-3000:], file=sys.stderr, flush=True)
    m = re.search(r"^ROWS (.*)$", out, re.MULTILINE)
    if proc.returncode != 0 or not m:
        return [_fail(f"{bench}[postgresql]", f"cluster or child failed ({proc.returncode})")]
    return json.loads(m.group(1))


def _child() -> int:
    """Measure the database DATABASE_URL names and print the rows as one JSON line."""

    def on_term(signum, frame):
        raise SystemExit(1)  # run the finally blocks: stop gunicorn, remove temp files

    signal.signal(signal.SIGTERM, on_term)
    url = os.environ.get("DATABASE_URL", "")
    label = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    rows = measure_backend(label, url or None)
    print("ROWS " + json.dumps(rows, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.exit(_child())
    print(json.dumps(run(), ensure_ascii=False, indent=1))
