"""Django settings. Everything a deployment changes comes from the environment:

- ``DATABASE_URL``: the database (default: a SQLite file ``saferhub.sqlite3`` in ``SAFERHUB_HOME``);
  ``postgres://user@host:5432/name`` for many users.
- ``SAFERHUB_HOME``: where the default database and generated outputs live (default ``./var``).
- ``SAFERHUB_SECRET_KEY``, ``SAFERHUB_DEBUG`` (off unless ``1``), ``SAFERHUB_ALLOWED_HOSTS``.

``SAFERHUB_ENVIRONMENT=production`` switches to production settings (see docs/deploy.md): DEBUG is
off and ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL`` must come from the environment;
nothing secret is in the repository. The development defaults keep ``make demo`` and the tests
working without any of them.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
SAFERHUB_HOME = Path(os.environ.get("SAFERHUB_HOME", Path.cwd() / "var")).resolve()


def _private_home(path: Path) -> None:
    """SAFERHUB_HOME holds the SQLite database (TOTP secrets, token keys), uploads, the report
    cache and the demo's unsuppressed documents: made 0700, and never left readable by others
    (a group the operator chose keeps its access)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
        if mode & 0o007:
            path.chmod(mode & 0o770)
    except PermissionError:  # not ours: the operator decides
        pass


_private_home(SAFERHUB_HOME)

PRODUCTION = os.environ.get("SAFERHUB_ENVIRONMENT", "development") == "production"


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise RuntimeError(f"SAFERHUB_ENVIRONMENT=production needs {name} in the environment (see docs/deploy.md).")
    return value


def _installation_key(path: Path) -> str:
    """A key of this installation's own, made once and readable by its owner only."""
    if not path.exists():
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
                out.write(secrets.token_urlsafe(50))
        except FileExistsError:  # another process made it first
            pass
    return path.read_text().strip()


if PRODUCTION:
    DEBUG = False
    SECRET_KEY = _required("SECRET_KEY")
    ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
    _required("DATABASE_URL")
else:
    # Off unless a developer asks (SAFERHUB_DEBUG=1): `make demo` is what providers and board
    # members see, and Django's debug page shows tracebacks and lists every URL pattern.
    DEBUG = os.environ.get("SAFERHUB_DEBUG", "0") == "1"
    # Without SAFERHUB_SECRET_KEY: a fixed key only while debugging, else one of this installation's own.
    SECRET_KEY = os.environ.get("SAFERHUB_SECRET_KEY", "") or (
        "saferhub-development-only-key-not-for-production" if DEBUG else _installation_key(SAFERHUB_HOME / "secret-key")
    )

    ALLOWED_HOSTS = [h for h in os.environ.get("SAFERHUB_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]

INSTALLED_APPS = [
    "saferhub.accounts.apps.DoorAdminConfig",  # Django's admin, signed into through the one door
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "saferhub.accounts",
    "saferhub.audit",
    "saferhub.partnerships",
    "saferhub.performance",
    "saferhub.commissioning",
    "saferhub.governance",
    "saferhub.publishing",
    "saferhub.rendering",
    "saferhub.security",
    "saferhub.api",
    "saferhub.jobs",
    "saferhub.demo",
    "saferhub.setup",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "saferhub.security.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "saferhub.accounts.middleware.DoorMiddleware",
    "saferhub.accounts.middleware.SessionLifetimeMiddleware",
    "saferhub.accounts.middleware.DenyAnonymousMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "saferhub.urls"
WSGI_APPLICATION = "saferhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "saferhub.context_processors.service_nav",
            ],
            "libraries": {"govuk_forms": "saferhub.govuk_forms"},
        },
    },
]

DEFAULT_SQLITE = SAFERHUB_HOME / "saferhub.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # The web server and the job worker write to the same file: a transaction takes the write lock
    # when it begins (and waits its turn), rather than failing at once with "database is locked"
    # when a transaction that has read then writes while the other one holds the lock.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests on SQLite use a file, as saferhub itself does, not the shared in-memory database:
    # there a background import thread and the page that follows it fail at once with "table is
    # locked" instead of waiting their turn.
    DATABASES["default"]["TEST"] = {"NAME": str(SAFERHUB_HOME / "test-saferhub.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # GOV.UK Frontend, copied by `make install`
STATIC_ROOT = SAFERHUB_HOME / "static"
# WhiteNoise serves the static files whatever DEBUG says; outside production straight from the
# source folders, so the demo (DEBUG off) needs no collectstatic. Production serves STATIC_ROOT.
WHITENOISE_USE_FINDERS = not PRODUCTION

# Built reports, their web bodies and downloads, keyed by a digest of the data they read
# (saferhub.performance.cache): files, so that web workers and commands share them. Entries
# never go stale (a new digest is a new key); several servers can share the directory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "reports": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(SAFERHUB_HOME / "cache" / "reports"),
        "OPTIONS": {"MAX_ENTRIES": 500},  # a PDF is about 200 kB: at most about 100 MB
    },
}
# whitenoise warns on every request when its folder is absent.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"saferhub": {"handlers": ["console"], "level": os.environ.get("SAFERHUB_LOG_LEVEL", "WARNING")}},
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"  # the home page sends each role to its starting page
LOGOUT_REDIRECT_URL = "/"

# --- Security (OWASP ASVS Level 2; see docs/security.md) -------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 31_536_000  # one year; only sent over HTTPS
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Cookies are Secure wherever the site is served over HTTPS: always in production.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION or os.environ.get("SAFERHUB_SECURE_COOKIES") == "1"
SECURE_SSL_REDIRECT = PRODUCTION and os.environ.get("SAFERHUB_SSL_REDIRECT", "1") == "1"
if PRODUCTION:
    # The reverse proxy terminates TLS and says so (docs/deploy.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# A Content Security Policy without inline script or inline style: scripts and stylesheets are
# files, and the charts' SVG uses presentation attributes, not style attributes.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

# Sessions: 30 minutes idle, a fresh login after 12 hours (ASVS 3.3.1, 3.3.2).
SESSION_IDLE_SECONDS = 30 * 60
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Re-entering the password before exporting unsuppressed sensitive data is valid this long.
RECENT_PASSWORD_SECONDS = 5 * 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "saferhub.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 64}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling per account: the 6th failure within the window is refused (ASVS 2.2.1).
LOGIN_FAILURES_ALLOWED = 5
LOGIN_FAILURE_WINDOW_SECONDS = 60
# TOTP second factor (RFC 6238) for these roles; on unless SAFERHUB_REQUIRE_TOTP=0.
SAFERHUB_REQUIRE_TOTP = os.environ.get("SAFERHUB_REQUIRE_TOTP", "1") == "1"
SAFERHUB_TOTP_ROLES = ("admin", "analyst", "commissioner")

# Email (invitations, password resets): the console backend unless EMAIL_BACKEND says otherwise
# (production: "django.core.mail.backends.smtp.EmailBackend" with EMAIL_HOST and the rest; docs/deploy.md).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "saferhub <noreply@localhost>")
# The site's address, for links in email sent from the command line (`saferhub user invite`).
SAFERHUB_BASE_URL = os.environ.get("SAFERHUB_BASE_URL", "http://localhost:8000")
# A password reset link works once, for an hour; an invitation link once, for 7 days.
PASSWORD_RESET_TIMEOUT = 60 * 60
SAFERHUB_INVITATION_SECONDS = 7 * 24 * 60 * 60
# Password reset requests answered in an hour, per address and per IP address (more are not sent).
SAFERHUB_RESET_PER_ADDRESS = 3
SAFERHUB_RESET_PER_IP = 20

# Uploads (ASVS 12.1.1): the form fields of a request are bounded by Django (DATA_UPLOAD_*), the
# files by saferhub.security.uploads.LimitedUploadHandler while the body is read, on every route:
# each file, all files of one request, and how many. (A police.uk month of one force is 2-10 MB.)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
SAFERHUB_MAX_UPLOAD_BYTES = int(os.environ.get("SAFERHUB_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
SAFERHUB_MAX_UPLOAD_REQUEST_BYTES = int(os.environ.get("SAFERHUB_MAX_UPLOAD_REQUEST_BYTES", 60 * 1024 * 1024))
SAFERHUB_MAX_UPLOAD_FILES = int(os.environ.get("SAFERHUB_MAX_UPLOAD_FILES", 24))
FILE_UPLOAD_HANDLERS = [
    "saferhub.security.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Uploaded files are kept only until their import ends; `saferhub purge` deletes any left (an
# import interrupted and never retried) this many days after the upload.
SAFERHUB_UPLOAD_RETENTION_DAYS = int(os.environ.get("SAFERHUB_UPLOAD_RETENTION_DAYS", 7))
# ... and the records of jobs that ended (and the queue's results) this many days after they ended.
SAFERHUB_JOB_RETENTION_DAYS = int(os.environ.get("SAFERHUB_JOB_RETENTION_DAYS", 30))
# Spreadsheets are checked before they are unzipped: limits in saferhub.ingest.safezip.

# Long work (imports from the web, pack builds) runs as jobs on a queue in the database, run by
# `saferhub worker` (saferhub.jobs, docs/jobs.md). A worker's heartbeat older than the stale limit
# means it is gone: /healthz answers 503 and the jobs it held are marked interrupted.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SAFERHUB_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("SAFERHUB_WORKER_HEARTBEAT_SECONDS", 10))
SAFERHUB_WORKER_STALE_SECONDS = float(os.environ.get("SAFERHUB_WORKER_STALE_SECONDS", 60))

# Retention: what `saferhub purge` deletes, by days of age.
# Months of age after which `saferhub purge` deletes a record (audit events: 24 months).
SAFERHUB_RETENTION_MONTHS = {
    "audit_events": int(os.environ.get("SAFERHUB_AUDIT_RETENTION_MONTHS", 24)),
    "login_failures": 1,
}

# /healthz gives up on the database after this long (saferhub.security.health).
SAFERHUB_HEALTH_TIMEOUT_SECONDS = float(os.environ.get("SAFERHUB_HEALTH_TIMEOUT_SECONDS", 2))

# Views that anonymous visitors may open: everything else needs a login (deny by default).
SAFERHUB_PUBLIC_URL_NAMES = {"accounts:login", "accounts:logout", "accounts:totp", "performance:home", "healthz"}
SAFERHUB_PUBLIC_PATH_PREFIXES = ("/public/", "/static/")

if not DEBUG:
    LOGGING["handlers"]["console"]["level"] = "INFO"
    LOGGING["loggers"]["django.request"] = {"handlers": ["console"], "level": "ERROR", "propagate": False}
# The read-only JSON API (saferhub.api): tokens for tools such as Power BI, the session for a
# browser. Permissions are decided by saferhub.accounts.permissions, per view.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "saferhub.api.authentication.DoorTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["saferhub.api.permissions.RulePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "saferhub API",
    "DESCRIPTION": (
        "Read-only access to a Community Safety Partnership's indicators, reports, publications, funds and projects. "
        "A token's scopes: read (the default: what the user's role may read, except sensitive figures) and "
        "read:sensitive (also sensitive, unsuppressed figures, granted by an administrator; every such read "
        "is an audited export). In the browser, sensitive figures need the password re-entered."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}
