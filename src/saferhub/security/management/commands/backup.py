"""saferhub backup FILE: the whole database to one file (see saferhub.security.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from saferhub.security.backup import backup_write


class Command(BaseCommand):
    help = "Write the whole database to FILE (gzipped JSON with counts and a checksum of the figures)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the backup, e.g. saferhub-2026-11-26.json.gz")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        manifest = backup_write(path=path, now=timezone.now())
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Backed up {rows:,} rows from {len(manifest['counts'])} tables to {path} "
                          f"(figures checksum {manifest['figures_checksum'][:16]}…).")
