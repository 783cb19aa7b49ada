"""saferhub backup FILE: the whole database to one encrypted, authenticated file (see
saferhub.security.backup); saferhub backup --generate-key KEYFILE: a new backup key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from saferhub.security.backup import BackupError, backup_key, backup_key_generate, backup_write, key_id


class Command(BaseCommand):
    help = (
        "Write the whole database to FILE, encrypted and authenticated (AES-256-GCM) with the backup key "
        "(--key-file, SAFERHUB_BACKUP_KEY_FILE or SAFERHUB_BACKUP_KEY); --generate-key KEYFILE makes a key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", help="where to write the backup, e.g. saferhub-2026-11-26.saferhub-backup"
        )
        parser.add_argument(
            "--key-file",
            type=Path,
            help="the backup key file (default: $SAFERHUB_BACKUP_KEY_FILE, else the key in $SAFERHUB_BACKUP_KEY)",
        )
        parser.add_argument(
            "--generate-key",
            type=Path,
            metavar="KEYFILE",
            help="write a new backup key to KEYFILE (mode 0600; never over an existing file) and stop",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["generate_key"]:
            try:
                kid = backup_key_generate(opts["generate_key"])
            except BackupError as exc:
                raise CommandError(f"no key was written: {exc}") from None
            self.stdout.write(
                f"Wrote a new backup key to {opts['generate_key']} (key id {kid}). Keep a copy "
                "away from the backups: without it they cannot be restored."
            )
            return
        try:
            if not opts["file"]:
                raise CommandError("give the FILE to write (or --generate-key KEYFILE)")
            key = backup_key(opts["key_file"])
            path = Path(opts["file"])
            manifest = backup_write(path=path, now=timezone.now(), key=key)
        except BackupError as exc:
            message = str(exc)
            raise CommandError(
                message if message.startswith("no backup was written") else f"no backup was written: {message}"
            ) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Backed up {rows:,} rows from {len(manifest['counts'])} tables to {path}, encrypted "
            f"with key {key_id(key).hex()} (figures checksum {manifest['figures_checksum'][:16]}…)."
        )
