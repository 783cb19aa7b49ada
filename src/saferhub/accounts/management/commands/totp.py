"""saferhub totp USERNAME [--enrol]: the user's current TOTP code (for the demo and for
operators helping a user); --enrol gives the user a new secret and prints its otpauth URI."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from saferhub.accounts.models import User
from saferhub.accounts.services import totp_enrol
from saferhub.accounts.totp import otpauth_uri, totp_code


class Command(BaseCommand):
    help = "Print a user's current TOTP code; with --enrol, give them a new secret first and print its otpauth URI."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--enrol", action="store_true", help="replace the user's TOTP secret with a new one")

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"no user {opts['username']!r}")
        if opts["enrol"]:
            secret = totp_enrol(user=user)
            self.stdout.write(f"secret: {secret}\notpauth URI: {otpauth_uri(secret, account=user.username)}")
        if not user.totp_secret:
            raise CommandError(f"{user.username} has no TOTP secret: use --enrol, or sign in to enrol")
        self.stdout.write(f"current code for {user.username}: {totp_code(user.totp_secret, at=timezone.now())}")
