"""saferhub restore FILE: load a backup into an empty, migrated database, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.security.backup import RestoreError, backup_key, restore_read


class Command(BaseCommand):
    help = (
        "Restore a backup made by `saferhub backup` into an empty, migrated database. Refuses a file that is "
        "altered, truncated or made with another key; checks counts and the figures' checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--key-file",
            type=Path,
            help="the backup key file (default: $SAFERHUB_BACKUP_KEY_FILE, else the key in $SAFERHUB_BACKUP_KEY)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            manifest = restore_read(path=Path(opts["file"]), key=backup_key(opts["key_file"]))
        except RestoreError as exc:
            raise CommandError(f"nothing was restored: {exc}") from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Restored {rows:,} rows from {opts['file']} (made {manifest['created_at']}); "
            "key and integrity, counts and figures checksum verified."
        )
