"""Deployment settings, headers, cookies and error pages (ASVS V3, V7, V8, V14)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.urls import path

from tests.conftest import REPO

PROD_ENV = {
    "SAFERHUB_ENVIRONMENT": "production",
    "SECRET_KEY": "x" * 20 + "a-long-random-test-secret-Zq9!k2Lm#pR7vW4yT8",
    "ALLOWED_HOSTS": "saferhub.example.org",
    "DATABASE_URL": "postgres://saferhub@127.0.0.1:5432/saferhub",
}


def _saferhub(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never would.
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "-m", "saferhub", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )


def test_check_deploy_passes_under_production_settings_and_nothing_is_silenced():
    result = _saferhub("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_environment(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = _saferhub("check", env=env)
    assert result.returncode != 0 and f"needs {missing}" in result.stderr


def test_no_secret_in_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True).stdout.split()
    suspicious = []
    for name in tracked:
        if name.endswith((".py", ".toml", ".cfg", ".env", ".ini", ".yml", ".yaml")):
            text = (REPO / name).read_text(encoding="utf-8", errors="replace")
            for line in text.splitlines():
                if (
                    "SECRET_KEY =" in line
                    and "os.environ" not in line
                    and "development-only" not in line
                    and "_required" not in line
                    and not name.startswith("tests/")
                ):
                    suspicious.append(f"{name}: {line.strip()}")
    assert not suspicious
    assert not any(n.endswith((".env", ".pem", ".key")) for n in tracked)


def test_headers_on_every_response(client, db):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    style_src = next(d for d in csp.split(";") if d.strip().startswith("style-src"))
    assert "unsafe-inline" not in style_src
    assert "frame-ancestors 'none'" in csp


def test_pages_carry_no_inline_script(client, django_user_model, db):
    import re

    client.force_login(django_user_model.objects.create_user("a", role="analyst"))
    for url in ("/dashboard/", "/accounts/login/"):
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
        assert scripts, url
        for attrs, body in scripts:
            assert "src=" in attrs and not body.strip(), (url, attrs, body)
        assert " style=" not in html, url


def test_authenticated_pages_are_not_cached(client, django_user_model, db):
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    client.force_login(django_user_model.objects.create_user("a", role="analyst"))
    assert client.get("/")["Cache-Control"] == "no-store"


def test_cookies_are_secure_httponly_and_samesite(settings):
    # Production sets Secure; the others hold in every environment.
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**base, **PROD_ENV, "DJANGO_SETTINGS_MODULE": "saferhub.settings"},
    )
    assert result.stdout.split() == ["True", "True", "True", "Lax", "Lax", "False"], result.stderr


def test_session_cookie_flags_on_login(client, django_user_model, settings, db):
    settings.SESSION_COOKIE_SECURE = True
    django_user_model.objects.create_user("board1", password="a sensible long passphrase", role="board")
    response = client.post("/accounts/login/", {"username": "board1", "password": "a sensible long passphrase"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def _boom(request):
    raise RuntimeError("secret internals: table foo column bar")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.urls("tests.security.test_deployment")
def test_a_forced_error_shows_a_reference_and_no_traceback(client, settings, db):
    import logging

    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger("saferhub.security").addHandler(handler)
    settings.DEBUG = False
    client.raise_request_exception = False
    settings.SAFERHUB_PUBLIC_PATH_PREFIXES = ("/boom/",)

    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "quote this reference" in html
    assert "Traceback" not in html and "secret internals" not in html and "RuntimeError" not in html
    import re

    reference = re.search(r"<strong[^>]*>([0-9A-F]{12})</strong>", html).group(1)
    logging.getLogger("saferhub.security").removeHandler(handler)
    logged = [r for r in records if reference in r.getMessage()]
    assert logged and logged[0].exc_info  # the operator gets the traceback, under the reference


handler500 = "saferhub.security.views.server_error"


def test_a_not_found_page_is_not_logged_as_a_server_error(client, django_user_model, db, caplog):
    client.force_login(django_user_model.objects.create_user("board1", role="board"))
    with caplog.at_level("ERROR", logger="saferhub.security"):
        assert client.get("/commissioning/projects/999999/").status_code == 404
    assert not [r for r in caplog.records if "server error" in r.getMessage()]


def test_the_demo_runs_with_debug_off_404_is_the_govuk_page_and_static_files_are_served(tmp_path):
    """Issue 12, finding 14: `make demo` sets nothing, so the development defaults are the demo's.
    A mistyped URL shows the GOV.UK 404 page, never Django's debug page listing every pattern;
    the stylesheets still come (WhiteNoise), and runserver needs no DEBUG for them."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DATABASE_URL",
            "SAFERHUB_DEBUG",
            "SAFERHUB_SECRET_KEY",
            "SAFERHUB_ENVIRONMENT",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from django.core.management import call_command; call_command('migrate', verbosity=0); "
        "from django.test import Client; c = Client(raise_request_exception=False); "
        "r = c.get('/no-such-page/', HTTP_HOST='127.0.0.1'); print('DEBUG', s.DEBUG); print('STATUS', r.status_code); "
        "print(r.content.decode()); "
        "css = c.get('/static/govuk/govuk-frontend.min.css', HTTP_HOST='127.0.0.1'); print('CSS', css.status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={**base, "SAFERHUB_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "saferhub.settings"},
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert "DEBUG False" in out and "STATUS 404" in out
    assert "Page not found" in out and "govuk-template" in out
    assert "URLconf" not in out and "admin/" not in out and "Using the URLconf" not in out
    assert "CSS 200" in out
