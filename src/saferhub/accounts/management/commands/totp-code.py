"""saferhub totp-code USERNAME: the current second-factor code of a user, for someone with
access to this machine's database (the demo, or an administrator helping a locked-out user)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhub.accounts.models import User
from saferhub.accounts.totp import totp_code


class Command(BaseCommand):
    help = "Print the current TOTP code of a user who has enrolled a second factor."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"no user {opts['username']!r}")
        if not user.totp_secret:
            raise CommandError(f"{user.username} has no second factor enrolled")
        self.stdout.write(totp_code(user.totp_secret, at=timezone.now()))
