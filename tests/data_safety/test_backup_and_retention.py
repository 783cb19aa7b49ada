"""Backup and restore round-trip the whole database; retention purges old audit events."""

from __future__ import annotations

import datetime
import io
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.audit.services import audit_record
from saferhub.security.backup import figures_checksum, table_counts
from tests.performance.conftest import NOW


@pytest.fixture
def populated(transactional_db, policeuk_file, backup_key):
    from saferhub.accounts.models import User
    from saferhub.accounts.services import totp_enrol
    from saferhub.demo import load_demo
    from saferhub.performance.services import policeuk_import

    partnership = load_demo(now=NOW)
    policeuk_import(paths=[policeuk_file()], partnership=partnership, now=NOW)
    user = User.objects.create_user("analyst1", password="a long enough passphrase", role="analyst")
    totp_enrol(user=user)
    audit_record(actor=user, action=AuditAction.EXPORT, summary="an export", at=NOW)
    return partnership


def test_backup_and_restore_round_trip_into_an_empty_database(populated, tmp_path):
    counts, checksum = table_counts(), figures_checksum()
    from saferhub.performance import counts_store

    police = list(counts_store.all_rows())
    assert counts["performance.indicatorvalue"] > 100 and counts["performance.forcemonth"] > 0 and police
    assert (
        counts["audit.auditevent"] > 0 and counts["accounts.user"] == 8
    )  # the seven demo users (five roles, two signatories) and analyst1
    backup = tmp_path / "saferhub.saferhub-backup"
    out = io.StringIO()
    call_command("backup", str(backup), stdout=out)
    assert "Backed up" in out.getvalue()

    call_command("flush", interactive=False, verbosity=0)  # an empty database
    shutil.rmtree(counts_store.root())  # and no police.uk counts beside it: a new machine
    assert sum(table_counts().values()) == 0

    out = io.StringIO()
    call_command("restore", str(backup), stdout=out)
    assert "counts and figures checksum verified" in out.getvalue()
    assert table_counts() == counts and figures_checksum() == checksum
    assert len(list(counts_store.all_rows())) == len(police)  # the counts came back from the backup
    from saferhub.accounts.models import User

    assert User.objects.get(username="analyst1").check_password("a long enough passphrase")


def test_restore_refuses_a_database_that_is_not_empty(populated, tmp_path):
    backup = tmp_path / "b.saferhub-backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    with pytest.raises(CommandError, match="nothing was restored: the database is not empty"):
        call_command("restore", str(backup))


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path, backup_key):
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(CommandError, match="not a saferhub backup"):
        call_command("restore", str(bad))


def test_a_tampered_backup_is_refused_and_nothing_is_restored(populated, tmp_path, backup_key):
    """The figures' checksum still checks the load itself. (An outsider cannot edit a backup at all:
    test_backup_security.py; this one is re-sealed with the operator's own key.)"""
    import json

    from saferhub.security.backup import backup_key as read_key
    from saferhub.security.backup import backup_read, seal

    backup = tmp_path / "b.saferhub-backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    doc = backup_read(backup, read_key())
    for row in doc["data"]:
        if row["model"] == "performance.indicatorvalue" and row["fields"]["value"]:
            row["fields"]["value"] = "999999"
            break
    backup.write_bytes(seal(json.dumps(doc).encode(), read_key()))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="checksum differs"):
        call_command("restore", str(backup))
    assert sum(table_counts().values()) == 0


# --- retention -------------------------------------------------------------------------------


def _events(db):
    now = timezone.make_aware(datetime.datetime(2026, 11, 26, 12, 0))
    for months_ago, summary in ((30, "old"), (25, "old"), (23, "recent"), (0, "today")):
        at = now - datetime.timedelta(days=int(months_ago * 30.44))
        audit_record(actor=None, action=AuditAction.LOGIN, summary=summary, at=at)
    return now


def test_purge_dry_run_lists_and_deletes_nothing(db):
    now = _events(db)
    out = io.StringIO()
    call_command("purge", "--dry-run", "--now", now.isoformat(), stdout=out)
    assert "Would delete 2 audit events from before 2024-11-26" in out.getvalue()
    assert AuditEvent.objects.count() == 4


def test_purge_deletes_audit_events_older_than_24_months_and_says_so(db):
    now = _events(db)
    out = io.StringIO()
    call_command("purge", "--now", now.isoformat(), stdout=out)
    assert "Deleted 2 audit events" in out.getvalue()
    summaries = sorted(AuditEvent.objects.values_list("summary", flat=True))
    assert summaries[:2] == [
        "recent",
        "retention purge: 2 audit events before 2024-11-26; 0 login failures before 2026-10-26",
    ]
    assert "today" in summaries


def test_retention_is_configurable(db, settings):
    now = _events(db)
    settings.SAFERHUB_RETENTION_MONTHS = {"audit_events": 12, "login_failures": 1}
    out = io.StringIO()
    call_command("purge", "--dry-run", "--now", now.isoformat(), stdout=out)
    assert "Would delete 3 audit events" in out.getvalue()
