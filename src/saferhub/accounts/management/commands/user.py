"""saferhub user invite --email E --role R [--organisation ORG] --partnership SLUG
saferhub user role --user USERNAME --role R [--organisation ORG]
saferhub user deactivate --user USERNAME

Invite a user by email (the invitee follows the emailed link, sets a password and, where the role
needs one, enrols the second factor), change a user's role, deactivate a user (their sessions
end). Run by the operator on the server; each is audited. Admins do the same on /accounts/users/.
Links in the email start with SAFERHUB_BASE_URL."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from saferhub.accounts.account_services import user_invite, user_role_change
from saferhub.accounts.models import Role, User
from saferhub.accounts.services import user_deactivate
from saferhub.partnerships.models import Organisation, Partnership

ACTOR = "saferhub user"


def _organisation(name: str | None) -> Organisation | None:
    if not name:
        return None
    org = Organisation.objects.filter(name__iexact=name).first()
    if org is None:
        known = ", ".join(Organisation.objects.values_list("name", flat=True)) or "none"
        raise CommandError(f"no organisation {name!r} (known: {known})")
    return org


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"no user {username!r}")
    return user


class Command(BaseCommand):
    help = "Invite a user by email, change a user's role, or deactivate a user."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        invite = sub.add_parser("invite", help="create the account and email the invitee a link")
        invite.add_argument("--email", required=True)
        invite.add_argument("--role", required=True, choices=Role.values)
        invite.add_argument("--organisation", help="the organisation's name (needed for a provider)")
        invite.add_argument("--partnership", required=True, help="the partnership's slug (named in the email)")
        role = sub.add_parser("role", help="change a user's role")
        role.add_argument("--user", required=True, help="the username")
        role.add_argument("--role", required=True, choices=Role.values)
        role.add_argument("--organisation", help="the organisation's name (needed for a provider)")
        deactivate = sub.add_parser("deactivate", help="deactivate a user and end their sessions")
        deactivate.add_argument("--user", required=True, help="the username")

    def handle(self, *args: Any, **opts: Any) -> None:
        now = timezone.now()
        try:
            if opts["verb"] == "invite":
                partnership = Partnership.objects.filter(slug=opts["partnership"]).first()
                if partnership is None:
                    known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none"
                    raise CommandError(f"no partnership {opts['partnership']!r} (known: {known})")
                invitation = user_invite(
                    email=opts["email"],
                    role=opts["role"],
                    organisation=_organisation(opts["organisation"]),
                    partnership=partnership,
                    actor=ACTOR,
                    base_url=settings.SAFERHUB_BASE_URL,
                    now=now,
                )
                self.stdout.write(
                    f"invited {invitation.user.username} as {Role(opts['role']).label}; "
                    f"the link was emailed to {invitation.user.email}"
                )
            elif opts["verb"] == "role":
                user = _user(opts["user"])
                user_role_change(
                    user=user, role=opts["role"], organisation=_organisation(opts["organisation"]), actor=ACTOR, now=now
                )
                self.stdout.write(f"{user.username} is now {Role(opts['role']).label}")
            else:
                user = _user(opts["user"])
                if not user.is_active:
                    raise CommandError(f"{user.username} is already deactivated")
                user_deactivate(user=user, actor=ACTOR, now=now)
                self.stdout.write(f"{user.username} deactivated; their sessions ended")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
