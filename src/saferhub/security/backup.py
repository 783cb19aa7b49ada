"""Whole-database backup and restore, portable between SQLite and PostgreSQL.

A backup is one gzipped JSON document: a manifest (row counts of every table and a checksum of
the figures) and Django's serialisation of every row. Restore loads it into an empty, migrated
database in one transaction and checks the counts and the checksum before committing, so a
restore is either exact or nothing. Sessions are left out on purpose: a restored database
starts with everyone signed out."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import json
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

FORMAT = "saferhub-backup"
VERSION = 1
EXCLUDED = {"sessions.session", "contenttypes.contenttype", "auth.permission", "admin.logentry"}


class RestoreError(Exception):
    pass


def backed_up_models() -> list:
    return [m for m in apps.get_models() if m._meta.label_lower not in EXCLUDED and m._meta.managed
            and not m._meta.proxy]


def table_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._default_manager.count() for m in backed_up_models()}


def figures_checksum() -> str:
    """SHA-256 over every stored figure, in a fixed order, independent of primary keys."""
    from saferhub.performance.bulk import CRIME_COLUMNS
    from saferhub.performance.models import IndicatorValue, PoliceCount, TargetValue

    h = hashlib.sha256()
    parts = [
        IndicatorValue.objects.values_list("indicator__partnership__slug", "indicator__code", "period", "value",
                                           "numerator", "denominator", "reported_on"),
        TargetValue.objects.values_list("indicator__partnership__slug", "indicator__code", "period", "value", "kind"),
        PoliceCount.objects.values_list("force_month__force", "month", "area_kind", "area", *CRIME_COLUMNS),
    ]
    for qs in parts:
        for row in sorted(tuple("" if v is None else str(v) for v in r) for r in qs):
            h.update("\x1f".join(row).encode())
            h.update(b"\x1e")
        h.update(b"\x1d")
    return h.hexdigest()


def backup_write(*, path: Path, now: datetime.datetime) -> dict:
    """Write the whole database to ``path``; returns the manifest."""
    with transaction.atomic():  # one consistent snapshot (REPEATABLE READ is not needed for a dump of
        # this size on SQLite; on PostgreSQL the reads share one transaction)
        manifest = {"format": FORMAT, "version": VERSION, "created_at": now.isoformat(),
                    "counts": table_counts(), "figures_checksum": figures_checksum()}
        out = io.StringIO()
        labels = [m._meta.label for m in backed_up_models()]
        call_command("dumpdata", *labels, format="json", natural_foreign=True, stdout=out)
    document = {"manifest": manifest, "data": json.loads(out.getvalue() or "[]")}
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(document, f)
    return manifest


def backup_read_manifest(path: Path) -> dict:
    return _read(path)["manifest"]


def _read(path: Path) -> dict:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            document = json.load(f)
    except (OSError, ValueError) as exc:
        raise RestoreError(f"{path} is not a saferhub backup: {exc}") from None
    manifest = document.get("manifest", {}) if isinstance(document, dict) else {}
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise RestoreError(f"{path} is not a saferhub backup of version {VERSION}")
    return document


def restore_read(*, path: Path) -> dict:
    """Load a backup into this (empty, migrated) database; all or nothing. Returns the manifest."""
    document = _read(path)
    manifest = document["manifest"]
    not_empty = {label: n for label, n in table_counts().items() if n}
    if not_empty:
        raise RestoreError("the database is not empty (" + ", ".join(f"{k}: {v}" for k, v in sorted(not_empty.items()))
                           + "); restore into a new, migrated database")
    tmp = path.with_suffix(".restore.json")
    tmp.write_text(json.dumps(document["data"]), encoding="utf-8")
    try:
        with transaction.atomic():
            call_command("loaddata", str(tmp), verbosity=0)
            counts, checksum = table_counts(), figures_checksum()
            if counts != manifest["counts"]:
                diff = {k: (manifest["counts"].get(k), counts.get(k)) for k in set(counts) | set(manifest["counts"])
                        if counts.get(k) != manifest["counts"].get(k)}
                raise RestoreError(f"restored counts differ from the backup's (expected, found): {diff}")
            if checksum != manifest["figures_checksum"]:
                raise RestoreError("the restored figures' checksum differs from the backup's")
    finally:
        tmp.unlink(missing_ok=True)
    return manifest
