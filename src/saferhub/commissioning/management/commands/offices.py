"""saferhub offices list --partnership SLUG
saferhub offices appoint --partnership SLUG --office csp_manager|treasurer --user USERNAME --job-title TEXT

Who holds the offices that sign a partnership's half-year return (the CSP manager, then the
treasurer/CFO). Run by the operator on the server; the appointment is audited. Administrators
can do the same on /commissioning/offices/SLUG/."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from saferhub.commissioning import services
from saferhub.commissioning.models import Office
from saferhub.partnerships.models import Partnership


class Command(BaseCommand):
    help = "List or appoint the holders of the offices that sign the half-year return."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        listing = sub.add_parser("list", help="who holds each office")
        listing.add_argument("--partnership", required=True)
        appoint = sub.add_parser("appoint", help="appoint a user to an office (replacing its holder)")
        appoint.add_argument("--partnership", required=True)
        appoint.add_argument("--office", required=True, choices=Office.values)
        appoint.add_argument("--user", required=True, help="the username")
        appoint.add_argument("--job-title", required=True, help="as it is to read on the return")

    def handle(self, *args: Any, **opts: Any) -> None:
        partnership = Partnership.objects.filter(slug=opts["partnership"]).first()
        if partnership is None:
            raise CommandError(f"no partnership {opts['partnership']!r}")
        if opts["verb"] == "appoint":
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(f"no user {opts['user']!r}")
            try:
                services.office_appoint(
                    partnership=partnership,
                    office=opts["office"],
                    user=user,
                    job_title=opts["job_title"],
                    actor="saferhub offices",
                    now=timezone.now(),
                )
            except services.CommissioningError as exc:
                raise CommandError(str(exc)) from None
        held = services.office_holders(partnership)
        for value, label in Office.choices:
            holder = held.get(value)
            who = (
                f"{holder.user.get_username()} ({holder.user.get_full_name() or holder.user.get_username()}), {holder.job_title}"
                if holder
                else "nobody"
            )
            self.stdout.write(f"{label}: {who}")
