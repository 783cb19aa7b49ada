"""SAFERHUB_HOME is not readable by other users (found by the hostile re-run of issue 12: the
SQLite database, with TOTP secrets and token keys, and the demo's unsuppressed documents were
mode 0644 in a 0755 folder)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path


def _settle(home: Path) -> None:
    env = {**os.environ, "SAFERHUB_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'saferhub.settings'; django.setup()"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)


def test_a_new_home_is_made_for_its_owner_only(tmp_path):
    home = tmp_path / "new-home"
    old = os.umask(0o022)
    try:
        _settle(home)
    finally:
        os.umask(old)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_an_existing_home_open_to_others_is_closed_to_them(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o755)
    (home / "saferhub.sqlite3").write_bytes(b"")
    _settle(home)
    assert stat.S_IMODE(home.stat().st_mode) == 0o750  # the group keeps what it had; others lose all
