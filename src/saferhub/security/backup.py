"""Whole-database backup and restore, encrypted and authenticated with the operator's key, portable
between SQLite and PostgreSQL.

A backup file is a 37-byte header (``MAGIC``, the format number, a key id and a random nonce)
followed by one AES-256-GCM ciphertext (``cryptography``'s AESGCM) of a gzipped JSON document: a
manifest (row counts of every table and a checksum of the figures) and every row, as Django's
"python" serialisation. The header is the ciphertext's associated data, so the file is
authenticated as a whole: a flipped byte, a truncation or a file made with another key fails the
GCM tag and nothing is read. The key (32 random bytes, base64url) is the operator's: a key file
(``SAFERHUB_BACKUP_KEY_FILE``) or ``SAFERHUB_BACKUP_KEY``; ``saferhub backup --generate-key FILE``
makes one.

Why not ``pg_dump`` or SQLite's online backup API: the same file restores into either database
(a partnership that starts on SQLite moves to PostgreSQL by backup and restore), and restore checks
the counts and the figures inside the transaction that loads them, so it is exact or nothing. The
JSON keeps every datetime to the microsecond (Django's own JSON encoder would cut them to
milliseconds). Sessions are left out on purpose: a restored database starts with everyone signed
out; content types and permissions are made by ``migrate`` and referred to by natural keys.

Writing is atomic: a 0600 temporary file in the same directory, fsync, rename, fsync of the
directory, so a full disk or a crash leaves the previous backup (or nothing) under the final
name. Restore decrypts in memory: no plaintext is ever written to disk."""

from __future__ import annotations

import base64
import datetime
import decimal
import gzip
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, models, transaction

from saferhub.domain.problems import SaferhubError

FORMAT = "saferhub-backup"
VERSION = 2
MAGIC = b"SAFERHUB-BACKUP\n"
KEY_ID_BYTES, NONCE_BYTES, TAG_BYTES = 8, 12, 16
HEADER_BYTES = len(MAGIC) + 1 + KEY_ID_BYTES + NONCE_BYTES
MAX_PLAINTEXT = 2**31 - 1 - HEADER_BYTES  # one AES-GCM message (cryptography's limit)
KEY_ENV, KEY_FILE_ENV = "SAFERHUB_BACKUP_KEY", "SAFERHUB_BACKUP_KEY_FILE"
EXCLUDED = {"sessions.session", "contenttypes.contenttype", "auth.permission"}
HOW_TO_GET_A_KEY = (
    f"set {KEY_FILE_ENV} to a key file (or {KEY_ENV} to the key itself); "
    "make one with `saferhub backup --generate-key FILE`"
)


class BackupError(SaferhubError):
    """A backup was not written (nothing under the final name changed)."""


class RestoreError(SaferhubError):
    """Nothing was restored."""


class BackupKeyError(BackupError, RestoreError):
    """No usable key: neither a backup nor a restore can go on."""


# --- the key -------------------------------------------------------------------------------------


def backup_key(key_file: Path | None = None) -> bytes:
    """The operator's key: ``key_file``, else the file ``SAFERHUB_BACKUP_KEY_FILE`` names, else
    ``SAFERHUB_BACKUP_KEY``."""
    file_name = key_file or os.environ.get(KEY_FILE_ENV)
    if file_name:
        try:
            text = Path(file_name).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise BackupKeyError(
                f"cannot read the backup key file {file_name}: {getattr(exc, 'strerror', None) or exc}"
            ) from None
        where = f"the key file {file_name}"
    elif os.environ.get(KEY_ENV):
        text, where = os.environ[KEY_ENV], KEY_ENV
    else:
        raise BackupKeyError(f"no backup key: {HOW_TO_GET_A_KEY}")
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        key = b""
    if len(key) != 32:
        raise BackupKeyError(f"{where} does not hold a backup key (44 characters of base64); {HOW_TO_GET_A_KEY}")
    return key


def backup_key_generate(path: Path) -> str:
    """Write a new key to ``path`` (0600, never over an existing file); returns its key id."""
    key = AESGCM.generate_key(bit_length=256)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupKeyError(
            f"{path} exists already: a key is never overwritten (backups made with it would be lost)"
        ) from None
    except OSError as exc:
        raise BackupKeyError(f"cannot write the key file {path}: {exc.strerror}") from None
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, base64.urlsafe_b64encode(key) + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return key_id(key).hex()


def key_id(key: bytes) -> bytes:
    """A short name for a key, kept in each backup so that "another key" can be told from "altered"
    (an HMAC of a fixed string: it says nothing about the key)."""
    return hmac.new(key, b"saferhub backup key id", hashlib.sha256).digest()[:KEY_ID_BYTES]


# --- what is backed up ---------------------------------------------------------------------------


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete table but those above, parents before the rows that refer to them. The
    tables behind many-to-many fields are tables of their own here, so their rows keep their keys."""
    by_app: dict[Any, list[type[models.Model]]] = {}
    for m in apps.get_models(include_auto_created=True):
        if m._meta.label_lower not in EXCLUDED and m._meta.managed and not m._meta.proxy:
            by_app.setdefault(m._meta.app_config, []).append(m)
    return serializers.sort_dependencies(by_app.items(), allow_cycles=True)


def table_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()}


def figures_checksum() -> str:
    """SHA-256 over every stored figure, in a fixed order, independent of primary keys: a check that
    the load is complete (the file itself is authenticated by the key, not by this)."""
    from saferhub.performance import counts_store
    from saferhub.performance.models import ForceMonth, IndicatorValue, TargetValue

    h = hashlib.sha256()
    parts = [
        IndicatorValue.objects.values_list(
            "indicator__partnership__slug",
            "indicator__code",
            "period",
            "value",
            "numerator",
            "denominator",
            "reported_on",
        ),
        TargetValue.objects.values_list("indicator__partnership__slug", "indicator__code", "period", "value", "kind"),
        _police_counts(counts_store, ForceMonth),
    ]
    for qs in parts:
        for row in sorted(tuple("" if v is None else str(v) for v in r) for r in qs):
            h.update("\x1f".join(row).encode())
            h.update(b"\x1e")
        h.update(b"\x1d")
    return h.hexdigest()


def _police_counts(counts_store: Any, ForceMonth: Any) -> list[tuple]:
    """Every held police.uk count row (kept in the columnar store), as (force, month, area_kind, area, *counts)."""
    fms = {pk: (force, month) for pk, force, month in ForceMonth.objects.values_list("pk", "force", "month")}
    return [(*fms[fm], *rest) for fm, *rest in counts_store.all_rows()]


def _police_count_files() -> list[dict[str, Any]]:
    """The held police.uk counts of the columnar store, one entry per counts file (its name, and
    its held parts' rows), so that a restore writes them back exactly as the force-months name them."""
    from saferhub.performance import counts_store

    held = counts_store.held_parts()
    by_file: dict[str, list[list[Any]]] = {}
    for fm, *rest in counts_store.all_rows(held):
        name, part = held[fm]
        by_file.setdefault(name, []).append([part, *rest])
    return [{"file": name, "rows": rows} for name, rows in sorted(by_file.items())]


def _restore_police_count_files(entries: list[dict[str, Any]]) -> None:
    from saferhub.performance import counts_store

    for e in entries:
        if not counts_store.path_of(e["file"]).exists():  # a counts file never changes once written
            counts_store.write_rows([tuple(r) for r in e["rows"]], name=e["file"])


class _Encoder(json.JSONEncoder):
    """Dates and times in full ISO 8601 (microseconds kept), Decimals as their exact text."""

    def default(self, o: Any) -> Any:
        if isinstance(o, (datetime.datetime, datetime.date, datetime.time)):
            return o.isoformat()
        if isinstance(o, (decimal.Decimal, uuid.UUID)):
            return str(o)
        return super().default(o)


def _rows() -> Iterator[dict[str, Any]]:
    for model in backed_up_models():
        qs = model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)
        own_columns = [f.name for f in model._meta.local_fields]  # many-to-many rows go with their own table
        yield from serializers.serialize("python", qs, fields=own_columns, use_natural_foreign_keys=True)


# --- writing -------------------------------------------------------------------------------------


def backup_write(*, path: Path, now: datetime.datetime, key: bytes | None = None) -> dict[str, Any]:
    """Write the whole database to ``path``, encrypted with ``key`` (default: ``backup_key()``);
    returns the manifest. Raises BackupError, and leaves ``path`` as it was, if it cannot."""
    key = key if key is not None else backup_key()
    snapshot_from_here = not connection.in_atomic_block
    with transaction.atomic():  # one consistent snapshot of every table
        if snapshot_from_here and connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # else each query would see a newer state
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": now.isoformat(),
            "counts": table_counts(),
            "figures_checksum": figures_checksum(),
        }
        document = json.dumps(
            {"manifest": manifest, "data": list(_rows()), "policeuk_counts": _police_count_files()},
            cls=_Encoder,
            ensure_ascii=False,
            separators=(",", ":"),
        )
    blob = seal(document.encode("utf-8"), key)
    del document
    try:
        _write_atomically(Path(path), blob)
    except OSError as exc:
        raise BackupError(f"no backup was written: cannot write {path}: {exc.strerror or exc}") from None
    return manifest


def seal(document: bytes, key: bytes) -> bytes:
    """The bytes of a backup file holding ``document`` (JSON): header, then AES-256-GCM of it gzipped."""
    plaintext = gzip.compress(document, compresslevel=6, mtime=0)
    if len(plaintext) > MAX_PLAINTEXT:
        raise BackupError(
            "no backup was written: the database is too large for one backup file "
            "(over 2 GiB compressed); back it up with the database's own tools"
        )
    nonce = secrets.token_bytes(NONCE_BYTES)  # random per file: a repeat is unlikely before 2^32 backups
    header = MAGIC + bytes([VERSION]) + key_id(key) + nonce
    return header + AESGCM(key).encrypt(nonce, plaintext, header)


def _write_atomically(path: Path, data: bytes) -> None:
    """A 0600 temporary file beside ``path`` (mkstemp creates it 0600 whatever the umask), written,
    flushed to disk, then renamed over ``path``; removed if anything fails on the way."""
    directory = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with open(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:  # the rename itself reaches the disk
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# --- reading -------------------------------------------------------------------------------------


def backup_read(path: Path, key: bytes) -> dict[str, Any]:
    """Check and decrypt a backup, in memory; RestoreError with one clear sentence if it is not
    whole, not ours or not made with this key."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RestoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not data.startswith(MAGIC):
        if data and MAGIC.startswith(data):
            raise RestoreError(f"{path} is truncated ({len(data)} bytes): not a whole saferhub backup")
        raise RestoreError(
            f"{path} is not a saferhub backup (or is an unencrypted one from before format "
            f"{VERSION}, which cannot be authenticated and is not restored)"
        )
    if len(data) < HEADER_BYTES + TAG_BYTES:
        raise RestoreError(f"{path} is truncated ({len(data)} bytes): not a whole saferhub backup")
    if data[len(MAGIC)] != VERSION:
        raise RestoreError(
            f"{path} is a saferhub backup of format {data[len(MAGIC)]}; this saferhub reads format {VERSION}"
        )
    header, ciphertext = data[:HEADER_BYTES], data[HEADER_BYTES:]
    file_key_id, nonce = header[len(MAGIC) + 1 : len(MAGIC) + 1 + KEY_ID_BYTES], header[-NONCE_BYTES:]
    if not hmac.compare_digest(file_key_id, key_id(key)):
        raise RestoreError(
            f"{path} was made with a different backup key (key id {file_key_id.hex()}; "
            f"this key's is {key_id(key).hex()})"
        )
    try:
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, header)
    except InvalidTag:
        raise RestoreError(
            f"{path} has been altered, truncated or damaged since it was written "
            "(it fails authentication with this key)"
        ) from None
    try:
        document = json.loads(gzip.decompress(plaintext).decode("utf-8"))
    except (OSError, EOFError, ValueError) as exc:  # authenticated but unreadable: not written by saferhub
        raise RestoreError(f"{path} is authenticated but cannot be read ({exc})") from None
    manifest = document.get("manifest", {}) if isinstance(document, dict) else {}
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise RestoreError(f"{path} is not a saferhub backup of format {VERSION}")
    return dict(document)


def restore_read(*, path: Path, key: bytes | None = None) -> dict[str, Any]:
    """Load a backup into this (empty, migrated) database; all or nothing. Returns the manifest."""
    document = backup_read(Path(path), key if key is not None else backup_key())
    manifest: dict[str, Any] = document["manifest"]
    not_empty = {label: n for label, n in table_counts().items() if n}
    if not_empty:
        raise RestoreError(
            "the database is not empty ("
            + ", ".join(f"{k}: {v}" for k, v in sorted(not_empty.items()))
            + "); restore into a new, migrated database"
        )
    try:
        with transaction.atomic():
            _load(document.pop("data"))
            # The counts files first: the figures' checksum below reads them.
            _restore_police_count_files(document.pop("policeuk_counts", []))
            counts, checksum = table_counts(), figures_checksum()
            if counts != manifest["counts"]:
                diff = {
                    k: (manifest["counts"].get(k), counts.get(k))
                    for k in set(counts) | set(manifest["counts"])
                    if counts.get(k) != manifest["counts"].get(k)
                }
                raise RestoreError(f"restored counts differ from the backup's (expected, found): {diff}")
            if checksum != manifest["figures_checksum"]:
                raise RestoreError("the restored figures' checksum differs from the backup's")
    except (DeserializationError, DatabaseError, LookupError, ValueError, TypeError) as exc:
        # Authenticated, so ours: made by a saferhub whose tables differ from this one's.
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RestoreError(
            f"the backup does not fit this database (made by another version of saferhub? "
            f"run `saferhub migrate` first): {first_line}"
        ) from None
    return manifest


def _load(rows: list[dict[str, Any]]) -> None:
    """What ``loaddata`` does, from memory rather than a file: raw saves (signals see ``raw``),
    forward references resolved at the end, constraints checked, sequences moved past the keys."""
    loaded = backed_up_models()
    deferred = []
    with connection.constraint_checks_disabled():
        for obj in serializers.deserialize("python", rows, handle_forward_references=True):
            obj.save()
            if obj.deferred_fields:
                deferred.append(obj)
        for obj in deferred:
            obj.save_deferred_fields()
    connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
