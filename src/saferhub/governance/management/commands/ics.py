"""saferhub ics --partnership SLUG [-o FILE]: the board's meetings as an iCalendar file."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhub.governance.ics import calendar
from saferhub.governance.models import Board, Meeting


class Command(BaseCommand):
    help = "Write the board's meetings as iCalendar (RFC 5545)."
    requires_system_checks: list[str] = []  # writes output only; `saferhub check` runs the checks

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True)
        parser.add_argument("-o", "--output", default="-", help="file to write (default: standard output)")
        parser.add_argument("--host", default="saferhub.local", help="domain used in event UIDs")

    def handle(self, *args, **opts):
        if not Board.objects.filter(partnership__slug=opts["partnership"]).exists():
            raise CommandError(f"no board for partnership {opts['partnership']!r}")
        meetings = Meeting.objects.filter(board__partnership__slug=opts["partnership"]).select_related("board")
        data = calendar(meetings, host=opts["host"], now=timezone.now())
        if opts["output"] == "-":
            sys.stdout.buffer.write(data)
        else:
            with open(opts["output"], "wb") as f:
                f.write(data)
            self.stderr.write(f"Wrote {opts['output']}: {meetings.count()} meetings")
