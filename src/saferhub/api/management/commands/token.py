"""Issue or revoke API tokens: ``saferhub token create --user NAME`` prints the user's token
(a new one with ``--rotate``); ``saferhub token revoke --user NAME`` removes it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record


class Command(BaseCommand):
    help = "Issue (create) or revoke an API token for a user."

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["create", "revoke"])
        parser.add_argument("--user", required=True, help="the username")
        parser.add_argument("--rotate", action="store_true", help="replace an existing token with a new one")

    @transaction.atomic
    def handle(self, *args, verb: str, user: str, rotate: bool, **options):
        try:
            account = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {user!r}") from None
        if not account.is_active:
            raise CommandError(f"user {user!r} is not active")
        existing = Token.objects.filter(user=account).first()
        if verb == "revoke" or (rotate and existing):
            Token.objects.filter(user=account).delete()
            if existing:
                audit_record(actor="saferhub token", action=AuditAction.DELETE, object_type="authtoken.token",
                             object_id=str(account.pk), summary=f"API token of {user} revoked")
            if verb == "revoke":
                self.stdout.write(f"Token of {user} revoked." if existing else f"{user} had no token.")
                return
            existing = None
        token = existing or Token.objects.create(user=account)
        if not existing:
            audit_record(actor="saferhub token", action=AuditAction.CREATE, object_type="authtoken.token",
                         object_id=str(account.pk), summary=f"API token issued to {user}")
        self.stdout.write(token.key)
