# 共产党员示范行动管理系统 — everything a fresh machine needs is here.
#   make run    set up, migrate, load the demo town on first run, serve on 127.0.0.1:$(PORT)
#   make test   install test-only needs (Chromium, PostgreSQL, CJK fonts), lint, check, test on SQLite and PostgreSQL
#   make bench  benchmarks under bench/ (county-scale data, a real server, a load tool)

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Papers (WeasyPrint) need Pango and a CJK font at run time; the tests also render PDFs to PNG (poppler).
APT_RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
APT_TEST_PACKAGES := $(APT_RUN_PACKAGES) chromium chromium-driver postgresql redis-server poppler-utils
APT_BENCH_PACKAGES := wrk redis-server

.PHONY: run run-deps serve test test-deps lint check pytest pytest-sqlite pytest-postgres pytest-redis bench bench-deps clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.test: $(VENV)/.runtime requirements-test.txt
	$(PIP) install -q -r requirements-test.txt
	touch $@

.secret_key:
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

# The demo: a local server with the invented town. Data persists in db.sqlite3 between runs.
# System packages for the server, only when something is missing.
run-deps:
	@missing=""; for p in $(APT_RUN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "apt-get install:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Static files, compressed once (a minute or two): again only when a static file or a package changed.
STATIC_SOURCES := $(shell find static apps -path '*static/*' -type f 2>/dev/null)
staticfiles/.collected: $(VENV)/.runtime $(STATIC_SOURCES)
	DEMO_MODE=1 $(PY) manage.py collectstatic --noinput -v0
	touch $@

run: run-deps $(VENV)/.runtime .secret_key staticfiles/.collected
	DEMO_MODE=1 $(PY) manage.py migrate --noinput -v0
	DEMO_MODE=1 $(PY) manage.py load_demo --if-empty
	@# Workers listen with SO_REUSEPORT (config/gunicorn.conf.py), which would let a second server share the port.
	@python3 -c 'import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", $(PORT)))' 2>/dev/null \
		|| { echo "端口 $(PORT) 已被占用，请换一个端口，如 PORT=8001 make run / port $(PORT) is in use: PORT=8001 make run"; exit 1; }
	@echo "服务地址 / Serving at http://127.0.0.1:$(PORT)/"
	DEMO_MODE=1 $(VENV)/bin/gunicorn -c config/gunicorn.conf.py config.wsgi:application \
		--bind 127.0.0.1:$(PORT) --access-logfile - --error-logfile -

# System packages for the tests, only when something is missing.
test-deps:
	@missing=""; for p in $(APT_TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "apt-get install:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

lint: $(VENV)/.test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: $(VENV)/.test
	TESTING=1 $(PY) manage.py check
	TESTING=1 $(PY) manage.py makemigrations --check --dry-run

pytest-sqlite: $(VENV)/.test
	TESTING=1 DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

pytest-postgres: $(VENV)/.test
	TESTING=1 DJANGO_ALLOW_ASYNC_UNSAFE=true scripts/with-postgres.sh $(VENV)/bin/pytest $(PYTEST_ARGS)

# The tests of state shared between workers (rate limits, ballot-code throttles, kept pages and rows) and of signing in once
# more with the shared cache on Redis (CACHE_URL), as a county with several app servers runs it.
REDIS_TESTS := tests/test_redis_cache.py tests/test_public_freshness.py tests/test_memo.py tests/test_ballot_limit.py \
	tests/test_notices.py tests/test_security_fields.py tests/test_security_sessions.py tests/test_publicity.py
pytest-redis: $(VENV)/.test
	TESTING=1 DJANGO_ALLOW_ASYNC_UNSAFE=true scripts/with-redis.sh $(VENV)/bin/pytest $(PYTEST_ARGS) $(REDIS_TESTS)

test: test-deps lint check pytest-sqlite pytest-postgres pytest-redis

bench-deps:
	@missing=""; for p in $(APT_BENCH_PACKAGES) postgresql; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Every benchmark, or some: make bench BENCH="bench_public bench_ballots"
bench: bench-deps $(VENV)/.test
	TESTING=1 $(PY) bench/run.py $(BENCH)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
