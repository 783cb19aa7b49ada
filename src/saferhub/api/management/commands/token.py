"""Issue or revoke API tokens: ``saferhub token create --user NAME`` prints the user's token
(a new one with ``--rotate``); ``saferhub token revoke --user NAME`` removes it.

``--scope`` (repeatable) sets the token's scopes: ``read`` (every token has it: what the user's
role may read, except sensitive figures) and ``read:sensitive`` (sensitive, unsuppressed figures
too; each read an audited export). A new token has ``read`` only; a token's scopes change only
when ``--scope`` is given, and ``--rotate`` keeps them. Every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from saferhub.accounts.permissions import decide
from saferhub.api.models import DEFAULT_SCOPES, Scope, token_scopes, token_scopes_set
from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record
from saferhub.performance.permissions import FIGURES

ACTOR = "saferhub token"


def _words(scopes: set[str]) -> str:
    return " ".join(s for s in Scope.values if s in scopes)


class Command(BaseCommand):
    help = "Issue (create) or revoke an API token for a user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verb", choices=["create", "revoke"])
        parser.add_argument("--user", required=True, help="the username")
        parser.add_argument("--rotate", action="store_true", help="replace an existing token with a new one")
        parser.add_argument(
            "--scope",
            action="append",
            choices=Scope.values,
            dest="scopes",
            help="a scope of the token (repeat for several): read (always), read:sensitive",
        )

    @transaction.atomic
    def handle(self, *args: Any, verb: str, user: str, rotate: bool, scopes: list[str] | None, **options: Any) -> None:
        try:
            account = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {user!r}") from None
        if not account.is_active:
            raise CommandError(f"user {user!r} is not active")
        wanted = set(scopes) | DEFAULT_SCOPES if scopes else None
        if wanted and Scope.READ_SENSITIVE in wanted:
            allowed, reason = decide(FIGURES, account)
            if not allowed:
                raise CommandError(f"{Scope.READ_SENSITIVE.value} refused: {reason}")
        existing = Token.objects.filter(user=account).first()
        kept = token_scopes(existing) if existing else set(DEFAULT_SCOPES)
        if verb == "revoke" or (rotate and existing):
            Token.objects.filter(user=account).delete()
            if existing:
                audit_record(
                    actor=ACTOR,
                    action=AuditAction.DELETE,
                    object_type="authtoken.token",
                    object_id=str(account.pk),
                    summary=f"API token of {user} revoked",
                )
            if verb == "revoke":
                self.stdout.write(f"Token of {user} revoked." if existing else f"{user} had no token.")
                return
            existing = None
        if existing is None:
            token = Token.objects.create(user=account)
            token_scopes_set(token, wanted or kept)
            audit_record(
                actor=ACTOR,
                action=AuditAction.CREATE,
                object_type="authtoken.token",
                object_id=str(account.pk),
                summary=f"API token issued to {user} with the scopes {_words(wanted or kept)}",
            )
        else:
            token = existing
            if wanted is not None and wanted != kept:
                token_scopes_set(token, wanted)
                audit_record(
                    actor=ACTOR,
                    action=AuditAction.UPDATE,
                    object_type="authtoken.token",
                    object_id=str(account.pk),
                    summary=f"API token scopes of {user}: {_words(kept)} -> {_words(wanted)}",
                    before={"scopes": _words(kept)},
                    after={"scopes": _words(wanted)},
                )
        self.stdout.write(token.key)
