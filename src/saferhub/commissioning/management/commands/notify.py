"""saferhub notify overdue [--today YYYY-MM-DD]

Email a reminder about each return past its due date and not yet in: a provider's return still a
draft or sent back (to the provider's users and the commissioners), a half-year return not yet
signed off (to its signatories and the commissioners). Each reminder goes once per return, so the
command can run every day (cron or a systemd timer: docs/deploy.md)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = "Email reminders about overdue returns (once each)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        overdue = sub.add_parser("overdue", help="remind about returns past their due date")
        overdue.add_argument("--today", help="the day to count from, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **opts: Any) -> None:
        from django.db import transaction

        from saferhub.commissioning.overdue import overdue_notify

        try:
            today = datetime.date.fromisoformat(opts["today"]) if opts["today"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today takes a date like 2017-11-04, not {opts['today']!r}") from None
        with transaction.atomic():
            returns, half_years = overdue_notify(today=today)
        self.stdout.write(
            f"{returns} provider return(s) and {half_years} half-year return(s) overdue on {today:%-d %B %Y}; "
            "each is reminded once."
        )
