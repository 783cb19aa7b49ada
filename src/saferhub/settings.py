"""Django settings. Everything a deployment changes comes from the environment:

- ``DATABASE_URL``: the database (default: a SQLite file ``saferhub.sqlite3`` in ``SAFERHUB_HOME``);
  ``postgres://user@host:5432/name`` for many users.
- ``SAFERHUB_HOME``: where the default database and generated outputs live (default ``./var``).
- ``SAFERHUB_SECRET_KEY``, ``SAFERHUB_DEBUG``, ``SAFERHUB_ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
SAFERHUB_HOME = Path(os.environ.get("SAFERHUB_HOME", Path.cwd() / "var")).resolve()

DEBUG = os.environ.get("SAFERHUB_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SAFERHUB_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("Set SAFERHUB_SECRET_KEY when SAFERHUB_DEBUG=0.")
    SECRET_KEY = "saferhub-development-only-key-not-for-production"
ALLOWED_HOSTS = [h for h in os.environ.get("SAFERHUB_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
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
    "saferhub.api",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # GOV.UK Frontend, copied by `make install`
STATIC_ROOT = SAFERHUB_HOME / "static"
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
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"

# The read-only JSON API (saferhub.api): tokens for tools such as Power BI, the session for a
# browser. Permissions are decided by saferhub.accounts.permissions, per view.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["saferhub.api.permissions.RulePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "saferhub API",
    "DESCRIPTION": "Read-only access to a Community Safety Partnership's indicators, reports and publications.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}
