"""Settings, read from environment variables so one build serves a laptop and a county data centre.

DATABASE_URL   default: SQLite file db.sqlite3 in WAL mode; e.g. postgres://user:pw@host:5432/db
SECRET_KEY     required when DEBUG is off, unless the file SECRET_KEY_FILE (default .secret_key) holds it
DEBUG          "1"/"true" to enable
ALLOWED_HOSTS  comma separated, default "127.0.0.1,localhost"
DEMO_MODE      "1" lets `load_demo` create the demo accounts and shows them on the login page
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale.zh_Hans import formats as _zh_hans
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG")
DEMO_MODE = env_bool("DEMO_MODE")
SECRET_KEY_FILE = Path(os.environ.get("SECRET_KEY_FILE", BASE_DIR / ".secret_key"))
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and SECRET_KEY_FILE.is_file():
    # `make run` writes this file once; reading it here lets the README's `manage.py` lines work as written.
    SECRET_KEY = SECRET_KEY_FILE.read_text(encoding="utf-8").strip()
if not SECRET_KEY:
    if DEBUG or DEMO_MODE or env_bool("TESTING"):
        SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - dev/demo only
    else:
        raise ImproperlyConfigured("请设置环境变量 SECRET_KEY，或在 .secret_key 文件中写入密钥（生产环境必须）。")

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "csp",
    "apps.core",
    "apps.home",
    "apps.accounts",
    "apps.orgs",
    "apps.campaigns",
    "apps.audit",
    "apps.roster",
    "apps.workdays",
    "apps.meetings",
    "apps.nominations",
    "apps.notices",
    "apps.commendations",
    "apps.villages",
    "apps.papers",
    "apps.oversight",
    "apps.publicity",
    "apps.demo",
    "apps.api",
    "ninja",  # the offline API docs (Swagger UI served from the package's static files)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, given the user the session read with itself (one query for both).
    "apps.accounts.middleware.SignedInUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.accounts.middleware.SessionTimeoutMiddleware",
    "apps.core.middleware.NoStoreMiddleware",
    # A GET or HEAD reads the audit chain's head once (the mark kept values are read under), and may read several
    # kept values in one cache read (apps.audit.memo.read_ahead).
    "apps.audit.memo.ReadOnlyRequest",
    # Every view needs a login unless it is marked @login_not_required (public notices, ballots, login).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Last, as its documentation asks: turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.site",
            ],
        },
    },
]

# Form widgets are drawn from Django's own widget templates in their Jinja2 versions (django/forms/jinja2/): the same
# markup, about three times faster than the Django template language, which renders a template per <input> and per
# <option> (most of the cost of a page with a form). The pages themselves stay in the Django template language.
FORM_RENDERER = "django.forms.renderers.Jinja2"

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{os.environ.get('SQLITE_PATH', BASE_DIR / 'db.sqlite3')}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, without the health check's round trip for a connection used within the last second.
    DATABASES["default"]["ENGINE"] = "apps.core.backends.postgresql"
    # Prepared statements: psycopg sends the parameters apart from the query (server-side binding) and prepares a
    # query on the server once a connection has run it five times. A signed-in page runs the same two
    # or three queries every time (the session with its user, a cache read); prepared, the server skips parsing and
    # planning them: its CPU per page halved on the real server (bench/, the organization tree and the member list).
    # Off (DB_PREPARED_STATEMENTS=0) behind a pooler that hands one session's statements to another (PgBouncer in
    # transaction mode before 1.21).
    if env_bool("DB_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the single writer work at the same time; IMMEDIATE avoids
    # "database is locked" upgrades in the middle of a write transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if env_bool("TESTING") else DATABASES["default"]["CONN_MAX_AGE"]

# State shared between requests and workers (rate limits, ballot-code throttles, kept pages and rows) lives in a
# shared cache: Django's database cache by default (the table is created by a migration of apps.core), Redis for
# big deployments (CACHE_URL=redis://host:6379/0). Login sessions are database rows (SESSION_ENGINE below).
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def caches_for(url: str) -> dict:
    if url.startswith(REDIS_SCHEMES):
        # A Redis that stops answering fails the request in two seconds instead of holding a worker thread.
        options = {"socket_connect_timeout": 2, "socket_timeout": 2}
        return {"default": {"BACKEND": "apps.core.cache.RedisCache", "LOCATION": url, "OPTIONS": options}}
    if url:
        raise ImproperlyConfigured(f"CACHE_URL 须以 {'、'.join(REDIS_SCHEMES)} 开头（留空则用数据库缓存）。")
    # Django culls a database cache beyond MAX_ENTRIES (300 by default) — rate-limit counters included — so room
    # for every signed-in user's kept rows (apps/audit/memo.py, a minute each) and every public page.
    options = {"MAX_ENTRIES": 20000}
    return {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "shared_cache", "OPTIONS": options}}


CACHES = caches_for(os.environ.get("CACHE_URL", "").strip())

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an account + client is locked out
    "apps.accounts.backends.AccountBackend",  # Django's ModelBackend, the organization in the same query
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # older hashes are upgraded at the next login
]

# Lockout (django-axes, state in the database so every worker sees it): 5 failures of one account from one
# client within 5 minutes lock that pair for 5 minutes. Someone elsewhere can't lock a secretary out.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(seconds=int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "300")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.accounts.views.locked_out"
AXES_VERBOSE = False
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "apps.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# 等保 2.0 asks for password complexity and periodic change; ASVS 5.0 advises against both. Off by default,
# settings for a deployment whose assessor requires them (SECURITY.md): PASSWORD_CHAR_CLASSES=3 requires three
# of lower case / upper case / digits / symbols; PASSWORD_MAX_AGE_DAYS=90 sends a user whose password is older
# to the password page before anything else.
PASSWORD_CHAR_CLASSES = int(os.environ.get("PASSWORD_CHAR_CLASSES", "0"))
if PASSWORD_CHAR_CLASSES:
    AUTH_PASSWORD_VALIDATORS.append(
        {"NAME": "apps.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": PASSWORD_CHAR_CLASSES}}
    )
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "0"))

LANGUAGE_CODE = "zh-hans"
# The one language of the UI, whatever the browser prefers: no LocaleMiddleware, so a phone set to English gets
# "请填写用户名。" rather than "请填写Username。" (Django's own strings in one language, the project's in another).
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# The page body renders with localization off (templates/base.html): a number is written as Python writes it, which
# is what zh-hans shows (no thousands separator), without looking the language's formats up for every value.
# A date or time written without a filter then takes these formats: the language's own.
DATE_FORMAT, TIME_FORMAT, DATETIME_FORMAT = _zh_hans.DATE_FORMAT, _zh_hans.TIME_FORMAT, _zh_hans.DATETIME_FORMAT
SHORT_DATE_FORMAT, SHORT_DATETIME_FORMAT = _zh_hans.SHORT_DATE_FORMAT, _zh_hans.SHORT_DATETIME_FORMAT
YEAR_MONTH_FORMAT, MONTH_DAY_FORMAT = _zh_hans.YEAR_MONTH_FORMAT, _zh_hans.MONTH_DAY_FORMAT

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
# An office's licensed fonts (仿宋_GB2312, 方正小标宋…) that the papers prefer to the free Noto CJK fonts (apps/papers/fonts.py).
PAPER_FONT_DIR = os.environ.get("PAPER_FONT_DIR", "")
# Worker processes for a batch of papers (apps/papers/parallel.py); 0: one per core, 1: no pool.
PAPER_WORKERS = int(os.environ.get("PAPER_WORKERS", "0"))
# Village evidence uploads (apps/villages/evidence.py): the size cap in bytes. The files go through
# STORAGES["default"]: for S3-compatible object storage set its BACKEND to
# "storages.backends.s3.S3Storage" with OPTIONS (bucket_name, endpoint_url, ...) per django-storages.
VILLAGE_EVIDENCE_MAX_BYTES = int(os.environ.get("VILLAGE_EVIDENCE_MAX_MB", "10")) * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
# Sessions are database rows with the signed-in user as a column (apps/accounts/sessions.py): a signed-in
# request reads its session, its user and the user's organization in one query, and ending an account's
# sessions deletes its rows (apps.accounts.actions.end_access).
SESSION_ENGINE = "apps.accounts.sessions"
# Absolute lifetime of a login, and the idle time after which it ends (apps/accounts/middleware.py).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "8")) * 3600
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_MINUTES", "10")) * 60
# Audit rows are kept at least this long (等保 2.0 level 2 asks for six months); the system deletes none.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "183"))
if AUDIT_RETENTION_DAYS < 183:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS 不得少于 183 天（审计日志至少保存六个月）。")
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Every asset is the site's own: no inline script or style, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Served over HTTPS (SECURE_COOKIES=1): browsers are told to use HTTPS only (HSTS, a year by default) and
# plain-HTTP requests are redirected. HSTS_SECONDS=0 turns HSTS off while a certificate is being set up.
if env_bool("SECURE_COOKIES"):
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    # Preloading is a commitment for the whole domain in every browser: opt in (HSTS_PRELOAD=1), else the
    # deploy check's reminder about it is silenced on purpose.
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Roster uploads: refuse early instead of reading huge bodies into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
ROSTER_MAX_BYTES = 20 * 1024 * 1024
ROSTER_MAX_ROWS = 50_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "apps.core.errors.csrf_failure"

# Reminders (manage.py send_reminders) are in-app notifications; with REMINDERS_BY_EMAIL=1 they are also
# mailed to the users' addresses through this SMTP server.
REMINDERS_BY_EMAIL = env_bool("REMINDERS_BY_EMAIL")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
