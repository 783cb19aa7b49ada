"""The saferhub command as a user runs it: a fresh database, then the documented commands."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DEVON_AND_CORNWALL


def saferhub(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"SAFERHUB_HOME": str(home)}
    result = subprocess.run(
        [sys.executable, "-m", "saferhub", *args], env=env, capture_output=True, text=True, timeout=120
    )
    if check and result.returncode != 0:
        raise AssertionError(f"saferhub {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def test_commands_before_migrate_say_what_to_do(tmp_path):
    result = saferhub(tmp_path, "report", "performance", "--partnership", "x", "--period", "2016-11", check=False)
    assert result.returncode == 2
    assert "Run `saferhub migrate` first" in result.stderr


def test_the_documented_workflow(tmp_path):
    saferhub(tmp_path, "migrate", "--noinput")
    created = saferhub(
        tmp_path,
        "partnership",
        "create",
        "--slug",
        "plymouth",
        "--name",
        "Safer Plymouth",
        "--local-authority",
        "Plymouth",
    )
    assert "16 indicators" in created.stdout
    imported = saferhub(tmp_path, "import", "policeuk", str(DEVON_AND_CORNWALL), "--partnership", "plymouth")
    assert "12 files (12 loaded)" in imported.stdout and "without a location" in imported.stdout
    again = saferhub(tmp_path, "import", "policeuk", str(DEVON_AND_CORNWALL), "--partnership", "plymouth")
    assert "12 unchanged" in again.stdout
    out = tmp_path / "report.json"
    saferhub(
        tmp_path,
        "report",
        "performance",
        "--partnership",
        "plymouth",
        "--period",
        "2019-11",
        "--format",
        "json",
        "-o",
        str(out),
    )
    report = json.loads(out.read_text())
    assert report["partnership"] == "plymouth" and report["financial_year"] == "2019/20"
    stdout = saferhub(
        tmp_path, "report", "performance", "--partnership", "plymouth", "--period", "2019-11", "--format", "json"
    )
    assert json.loads(stdout.stdout) == report


def test_bad_import_from_the_command_line(tmp_path):
    saferhub(tmp_path, "migrate", "--noinput")
    saferhub(tmp_path, "partnership", "create", "--slug", "p", "--name", "P", "--local-authority", "Plymouth")
    bad = tmp_path / "2019-01-x-street.csv"
    bad.write_text("Crime ID,Month\n1,2019-01\n")
    result = saferhub(tmp_path, "import", "policeuk", str(bad), "--partnership", "p", check=False)
    assert result.returncode != 0
    assert "nothing was imported" in result.stderr and f"{bad}, line 1, field 'Reported by'" in result.stderr


def test_demo_no_serve_writes_the_report(tmp_path):
    saferhub(tmp_path, "migrate", "--noinput")
    result = saferhub(tmp_path, "demo", "--no-serve")
    path = tmp_path / "demo" / "safer-plymouth-performance-2016-11.json"
    assert str(path) in result.stdout
    report = json.loads(path.read_text())
    assert report["partnership"] == "safer-plymouth" and len(report["indicators"]) == 10
    # The board's copies are written beside the JSON, in every format.
    pdf = tmp_path / "demo" / "safer-plymouth-performance-2016-11.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    for fmt in ("docx", "xlsx"):
        assert (tmp_path / "demo" / f"safer-plymouth-performance-2016-11.{fmt}").read_bytes().startswith(b"PK")
    # and the half-year return to the funder, in each of its formats
    for fmt, magic in (("json", b"{"), ("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK")):
        path = tmp_path / "demo" / f"safer-plymouth-community-safety-fund-2017-H1-return.{fmt}"
        assert str(path) in result.stdout and path.read_bytes().startswith(magic)
    # and the police.uk partnership's report, with the month left out for upload named
    torbay = json.loads((tmp_path / "demo" / "torbay-performance-2019-11.json").read_text())
    assert torbay["partnership"] == "torbay" and torbay["period"] == "2019-11"
    assert (tmp_path / "demo" / "torbay-performance-2019-11.pdf").read_bytes().startswith(b"%PDF")
    from saferhub.demo.torbay import UPLOAD_FILE

    assert f"upload it at /data/:\n  {UPLOAD_FILE}\n" in result.stdout


def test_demo_prints_second_factor_keys_and_totp_answers(tmp_path):
    saferhub(tmp_path, "migrate", "--noinput")
    result = saferhub(tmp_path, "demo", "--no-serve")
    assert "Second factor" in result.stdout
    keys = dict(line.split() for line in result.stdout.split("Second factor")[1].splitlines()[1:4])
    assert set(keys) == {"admin", "analyst", "commissioner"}
    code = saferhub(tmp_path, "totp", "analyst").stdout.strip().rsplit(" ", 1)[-1]
    assert len(code) == 6 and code.isdigit()


@pytest.mark.django_db
def test_the_cheap_schema_check_agrees_with_the_full_one():
    """Every migration file recorded as applied: no problem, without loading the migration
    graph. One file not recorded (a migration added since): the full check reports it."""
    from django.db import connection

    from saferhub import cli

    assert cli._all_migrations_recorded() is True  # the test database is migrated
    assert cli._schema_problem() is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM django_migrations WHERE app = 'performance' ORDER BY name DESC LIMIT 1")
        (last,) = cursor.fetchone()
        cursor.execute("DELETE FROM django_migrations WHERE id = %s", [last])
    assert cli._all_migrations_recorded() is False
    assert "has not been migrated" in cli._schema_problem()
