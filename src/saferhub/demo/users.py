"""The demo's users, one per role and named after it: admin, analyst, commissioner, provider,
board. The provider belongs to the organisation that delivers project A.

Their password is ``SAFERHUB_DEMO_PASSWORD`` when set; otherwise one is generated once (with
``secrets``), kept in ``$SAFERHUB_HOME/demo/demo-password`` (readable by its owner only) and
reused, so that loading the demo again changes nothing and ``saferhub demo`` can always print
the logins."""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction

from saferhub.accounts.models import Role, User
from saferhub.accounts.services import totp_enrol, totp_required
from saferhub.partnerships.models import Organisation, OrganisationKind, Partnership

from .commissioning import PROJECT_A_PROVIDER

USERNAMES = {
    Role.ADMIN: "admin",
    Role.ANALYST: "analyst",
    Role.COMMISSIONER: "commissioner",
    Role.PROVIDER: "provider",
    Role.BOARD: "board",
}
PASSWORD_ENV = "SAFERHUB_DEMO_PASSWORD"


def password_file() -> Path:
    return Path(settings.SAFERHUB_HOME) / "demo" / "demo-password"


def demo_password() -> str:
    given = os.environ.get(PASSWORD_ENV, "")
    if given:
        return given
    path = password_file()
    if path.exists():
        kept = path.read_text(encoding="utf-8").strip()
        if kept:
            return kept
    generated = secrets.token_urlsafe(12)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(generated + "\n", encoding="utf-8")
    return generated


@transaction.atomic
def load(*, partnership: Partnership, now: datetime.datetime) -> None:
    password = demo_password()
    provider_org, _ = Organisation.objects.get_or_create(
        name=PROJECT_A_PROVIDER, defaults={"kind": OrganisationKind.CHARITY},
    )
    for role, username in USERNAMES.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, first_name=Role(role).label, date_joined=now)
        user.role = role
        user.organisation = provider_org if role == Role.PROVIDER else None
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.is_active = True
        if not user.has_usable_password() or not user.check_password(password):
            user.set_password(password)
        user.save()
        if totp_required(user) and not user.totp_secret:
            # These roles need a second factor; the demo enrols one and prints its key.
            totp_enrol(user=user)


def logins() -> list[tuple[str, str, str]]:
    """(username, role, password) of each demo user, for ``saferhub demo`` to print."""
    password = demo_password()
    return [(username, Role(role).label, password) for role, username in USERNAMES.items()]


def second_factors() -> list[tuple[str, str]]:
    """(username, TOTP key) of the demo users whose role needs a second factor."""
    return list(User.objects.filter(username__in=USERNAMES.values()).exclude(totp_secret="")
                .order_by("username").values_list("username", "totp_secret"))
