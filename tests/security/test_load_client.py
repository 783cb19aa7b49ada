"""The load benchmark's simulated user (bench/load.py) signs in and browses, against a live
server behind the same pretend TLS proxy: so `make bench` does not discover a broken client."""

from __future__ import annotations

import importlib.util
from urllib.parse import urlparse

import pytest

from tests.conftest import REPO


@pytest.fixture
def load():
    spec = importlib.util.spec_from_file_location("bench_load", REPO / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_simulated_users_sign_in_with_password_and_totp_and_browse(load, live_server, settings):
    from saferhub.accounts.models import User
    from saferhub.accounts.services import totp_enrol

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    User.objects.create_user("board0", password=load.PASSWORD, role="board")
    analyst = User.objects.create_user("analyst0", password=load.PASSWORD, role="analyst")
    secret = totp_enrol(user=analyst)
    url = urlparse(live_server.url)
    settings.ALLOWED_HOSTS = [url.hostname]
    for username, key in (("board0", None), ("analyst0", secret)):
        session = load.Session(url.port, host=url.hostname)
        ok, took = session.sign_in(username, key)
        assert ok and took > 0, username
        status, text, headers, _ = session.request("GET", "/dashboard/")
        assert status == 200 and headers.get("Cache-Control") == "no-store"  # signed in
    assert load.percentile([0.1, 0.2, 0.3, 0.4], 50) == 0.2 and load.percentile([1.0] * 19 + [9.0], 95) == 1.0
