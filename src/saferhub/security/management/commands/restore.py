"""saferhub restore FILE: load a backup into an empty, migrated database, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferhub.security.backup import RestoreError, restore_read


class Command(BaseCommand):
    help = "Restore a backup made by `saferhub backup` into an empty, migrated database; checks counts and the figures' checksum."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **opts):
        try:
            manifest = restore_read(path=Path(opts["file"]))
        except RestoreError as exc:
            raise CommandError(f"nothing was restored: {exc}") from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Restored {rows:,} rows from {opts['file']} (made {manifest['created_at']}); "
                          "counts and figures checksum verified.")
