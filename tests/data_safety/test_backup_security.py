"""Backups against an attacker and against accidents (security review, finding 5): a backup is
encrypted and authenticated with the operator's key, readable by its owner only, written
atomically, refused whole when altered, truncated or foreign, leaves nothing behind when a
restore is killed, and round-trips every table exactly (microseconds included)."""

from __future__ import annotations

import errno
import gzip
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.audit.services import audit_record
from tests.performance.conftest import NOW

from .conftest import new_backup_key

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "a long enough passphrase"
AT_MICROSECONDS = NOW.replace(microsecond=123456)


@pytest.fixture
def populated(transactional_db, policeuk_file, backup_key):
    from saferhub.accounts.models import User
    from saferhub.accounts.services import totp_enrol
    from saferhub.demo import load_demo
    from saferhub.performance.services import policeuk_import

    partnership = load_demo(now=NOW)
    policeuk_import(paths=[policeuk_file()], partnership=partnership, now=NOW)
    user = User.objects.create_user("analyst1", password=PASSWORD, role="analyst")
    totp_enrol(user=user, secret=TOTP_SECRET)
    User.objects.filter(pk=user.pk).update(last_login=AT_MICROSECONDS)
    audit_record(actor=user, action=AuditAction.EXPORT, summary="an export at a microsecond", at=AT_MICROSECONDS)
    return partnership


def _backup(path: Path) -> bytes:
    call_command("backup", str(path), stdout=io.StringIO())
    return path.read_bytes()


def _flush() -> None:
    call_command("flush", interactive=False, verbosity=0)


def _provider_is_superuser() -> bool:
    from saferhub.accounts.models import User

    return User.objects.filter(role="provider", is_superuser=True).exists()


def _rows() -> int:
    from saferhub.security.backup import table_counts

    return sum(table_counts().values())


def _snapshot() -> dict[str, list[dict]]:
    """Every row of every table a backup holds (many-to-many tables included), field by field."""
    from saferhub.security.backup import EXCLUDED

    out = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in EXCLUDED or not model._meta.managed or model._meta.proxy:
            continue
        out[label] = list(model._base_manager.order_by("pk").values())
    return out


# --- who can read it, and what it holds ----------------------------------------------------------


def test_a_backup_is_readable_by_its_owner_only_whatever_the_umask(populated, tmp_path):
    old = os.umask(0)  # the most careless umask: without care the file would be 0666
    try:
        _backup(tmp_path / "b.saferhub-backup")
    finally:
        os.umask(old)
    assert (tmp_path / "b.saferhub-backup").stat().st_mode & 0o777 == 0o600


def test_a_backup_holds_no_secret_in_clear(populated, tmp_path):
    from rest_framework.authtoken.models import Token

    from saferhub.accounts.models import User

    token = Token.objects.create(user=User.objects.get(username="analyst1")).key
    password_hash = User.objects.get(username="analyst1").password.split("$")[-1]
    raw = _backup(tmp_path / "b.saferhub-backup")
    readable = [raw]
    try:  # the old format was gzipped JSON: anyone could read it
        readable.append(gzip.decompress(raw))
    except (OSError, EOFError):
        pass
    for text in readable:
        for secret in (TOTP_SECRET, token, password_hash, "analyst1"):
            assert secret.encode() not in text, secret


def test_generate_key_writes_a_0600_key_file_once_and_backups_use_it(populated, tmp_path, monkeypatch):
    monkeypatch.delenv("SAFERHUB_BACKUP_KEY")
    key_file = tmp_path / "backup.key"
    old = os.umask(0)
    try:
        out = io.StringIO()
        call_command("backup", "--generate-key", str(key_file), stdout=out)
    finally:
        os.umask(old)
    assert key_file.stat().st_mode & 0o777 == 0o600 and "key id" in out.getvalue()
    first = key_file.read_bytes()
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "--generate-key", str(key_file), stdout=io.StringIO())
    assert key_file.read_bytes() == first
    backup = tmp_path / "b.saferhub-backup"
    call_command("backup", str(backup), "--key-file", str(key_file), stdout=io.StringIO())
    _flush()
    with pytest.raises(CommandError, match="no backup key"):
        call_command("restore", str(backup), stdout=io.StringIO())
    monkeypatch.setenv("SAFERHUB_BACKUP_KEY_FILE", str(key_file))
    out = io.StringIO()
    call_command("restore", str(backup), stdout=out)
    assert "key and integrity, counts and figures checksum verified" in out.getvalue()


# --- tampering, truncation, foreign files ---------------------------------------------------------


@pytest.mark.parametrize("where", ["header", "middle", "end"])
def test_a_backup_with_one_byte_flipped_is_refused_and_nothing_is_restored(populated, tmp_path, where):
    backup = tmp_path / "b.saferhub-backup"
    raw = bytearray(_backup(backup))
    position = {"header": 5, "middle": len(raw) // 2, "end": len(raw) - 1}[where]
    raw[position] ^= 0x01
    backup.write_bytes(bytes(raw))
    _flush()
    with pytest.raises(CommandError, match=r"^nothing was restored: .*(altered|not a saferhub backup)"):
        call_command("restore", str(backup), stdout=io.StringIO())
    assert _rows() == 0


def test_a_backup_forged_with_another_key_to_make_the_provider_a_superuser_is_refused(populated, tmp_path, monkeypatch):
    """The attack the review found: a file edited to promote the provider. Without the operator's
    key an attacker can only make a backup of their own, with a key of their own."""
    from saferhub.accounts.models import User

    User.objects.filter(role="provider").update(is_superuser=True, is_staff=True)
    operator_key = os.environ["SAFERHUB_BACKUP_KEY"]
    monkeypatch.setenv("SAFERHUB_BACKUP_KEY", new_backup_key())  # the attacker's
    forged = tmp_path / "forged.saferhub-backup"
    _backup(forged)
    _flush()
    monkeypatch.setenv("SAFERHUB_BACKUP_KEY", operator_key)
    with pytest.raises(CommandError, match="^nothing was restored: .*made with a different backup key"):
        call_command("restore", str(forged), stdout=io.StringIO())
    assert _rows() == 0 and not _provider_is_superuser()


def test_restore_with_no_key_says_how_to_give_one(populated, tmp_path, monkeypatch):
    backup = tmp_path / "b.saferhub-backup"
    _backup(backup)
    _flush()
    monkeypatch.delenv("SAFERHUB_BACKUP_KEY")
    with pytest.raises(CommandError, match="SAFERHUB_BACKUP_KEY"):
        call_command("restore", str(backup), stdout=io.StringIO())
    assert _rows() == 0


@pytest.mark.parametrize("keep", [0, 10, 40, "half", "all but one"])
def test_a_truncated_backup_is_refused_with_a_message(populated, tmp_path, keep):
    backup = tmp_path / "b.saferhub-backup"
    raw = _backup(backup)
    n = {"half": len(raw) // 2, "all but one": len(raw) - 1}.get(keep, keep)
    backup.write_bytes(raw[:n])
    _flush()
    with pytest.raises(CommandError, match=r"^nothing was restored: .*(truncated|not a saferhub backup)"):
        call_command("restore", str(backup), stdout=io.StringIO())
    assert _rows() == 0


# --- writing: atomic, even on a full disk ---------------------------------------------------------


class _DiskFull:
    """A file whose disk fills up half-way through the first write (as ENOSPC does)."""

    def __init__(self, f):
        self._f = f

    def write(self, data):
        self._f.write(bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


def test_a_backup_on_a_full_disk_leaves_no_file_under_the_final_name(populated, tmp_path, monkeypatch):
    import builtins

    backups = tmp_path / "backups"
    backups.mkdir()
    previous = backups / "yesterday.saferhub-backup"
    before = _backup(previous)
    real_open = builtins.open

    def full_disk_open(file, mode="r", *args, **kwargs):
        f = real_open(file, mode, *args, **kwargs)
        return _DiskFull(f) if any(c in mode for c in "wax") else f

    monkeypatch.setattr(builtins, "open", full_disk_open)
    with pytest.raises(CommandError, match="no backup was written: .*No space left on device"):
        call_command("backup", str(backups / "today.saferhub-backup"), stdout=io.StringIO())
    # and over an existing backup, the old one survives whole
    with pytest.raises(CommandError, match="no backup was written"):
        call_command("backup", str(previous), stdout=io.StringIO())
    monkeypatch.setattr(builtins, "open", real_open)
    assert sorted(p.name for p in backups.iterdir()) == ["yesterday.saferhub-backup"]  # no temporary file left
    assert previous.read_bytes() == before


# --- a round trip is exact ---------------------------------------------------------------------


def test_a_round_trip_is_exact_in_every_table_to_the_microsecond(populated, tmp_path):
    before = _snapshot()
    assert AuditEvent.objects.filter(at=AT_MICROSECONDS).exists()
    assert len([label for label, rows in before.items() if rows]) > 20
    backup = tmp_path / "b.saferhub-backup"
    _backup(backup)
    _flush()
    call_command("restore", str(backup), stdout=io.StringIO())
    after = _snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    from saferhub.accounts.models import User

    assert User.objects.get(username="analyst1").last_login == AT_MICROSECONDS
    # the sequences were moved past the restored keys (PostgreSQL): a new row gets a new key
    audit_record(actor=None, action=AuditAction.LOGIN, summary="after the restore", at=NOW)
    assert AuditEvent.objects.count() == len(before["audit.auditevent"]) + 1


# --- the commands as an operator runs them, in a process of their own ------------------------------


def _saferhub(home: Path, *args: str, env: dict[str, str], **kwargs):
    env = (
        {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SAFERHUB_BACKUP_KEY_FILE")}
        | env
        | {"SAFERHUB_HOME": str(home)}
    )
    return subprocess.Popen(
        [sys.executable, "-m", "saferhub", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _run(home: Path, *args: str, env: dict[str, str]) -> tuple[int, str, str]:
    p = _saferhub(home, *args, env=env)
    out, err = p.communicate(timeout=300)
    return p.returncode, out, err


def test_a_killed_restore_leaves_nothing_behind_and_the_database_empty(populated, tmp_path, backup_key):
    """SIGKILL in the middle of loading: no plaintext beside the backup or in the temporary
    directory, and the half-loaded transaction rolls back. (On PostgreSQL this restores a
    PostgreSQL backup into SQLite: the format is the same for both.)"""
    backups, home, tmp = tmp_path / "backups", tmp_path / "home", tmp_path / "tmp"
    for d in (backups, home, tmp):
        d.mkdir()
    backup = backups / "b.saferhub-backup"
    _backup(backup)
    env = {"SAFERHUB_BACKUP_KEY": backup_key, "TMPDIR": str(tmp)}
    assert _run(home, "migrate", "--noinput", env=env)[0] == 0
    journal = home / "saferhub.sqlite3-journal"
    p = _saferhub(home, "restore", str(backup), env=env)
    deadline = time.monotonic() + 120
    while not journal.exists() and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    assert p.poll() is None, "the restore ended before it could be killed while loading"
    time.sleep(0.05)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    assert p.returncode == -signal.SIGKILL
    assert sorted(x.name for x in backups.iterdir()) == ["b.saferhub-backup"]
    assert list(tmp.iterdir()) == []
    # the database rolled back to empty: a whole restore then succeeds and is complete
    code, out, err = _run(home, "restore", str(backup), env=env)
    assert code == 0, err
    from saferhub.security.backup import table_counts

    assert f"Restored {sum(table_counts().values()):,} rows" in out
    assert sorted(x.name for x in backups.iterdir()) == ["b.saferhub-backup"] and list(tmp.iterdir()) == []


def _this_database_url() -> str:
    """The test database, for a command run in a process of its own."""
    from django.db import connection

    d = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{d['NAME']}"
    return f"postgres://{d['USER']}@{d['HOST']}:{d['PORT']}/{d['NAME']}"


def test_restoring_a_truncated_backup_prints_one_line_and_no_traceback(populated, tmp_path, backup_key):
    home = tmp_path / "home"
    home.mkdir()
    backup = tmp_path / "b.saferhub-backup"
    raw = _backup(backup)
    backup.write_bytes(raw[: len(raw) // 3])
    _flush()
    env = {"SAFERHUB_BACKUP_KEY": backup_key}
    p = _saferhub(home, "restore", str(backup), env=env | {"DATABASE_URL": _this_database_url()})
    out, err = p.communicate(timeout=300)
    code = p.returncode
    assert code == 1 and "Traceback" not in err
    assert err.strip().count("\n") == 0 and "nothing was restored" in err and "truncated" in err
