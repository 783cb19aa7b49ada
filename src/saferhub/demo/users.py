"""The demo's users, one per role and named after it: admin, analyst, commissioner, provider,
board. The provider belongs to the organisation that delivers project A. Two more hold the
offices that sign the half-year return, as two different people: ``csp-manager`` (Matt Garrett,
who signed the seed's return) and ``treasurer`` (a board member, who countersigns).

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
# office -> (username, first name, last name, role, job title as it reads on the return)
OFFICE_HOLDERS = {
    "csp_manager": ("csp-manager", "Matt", "Garrett", Role.COMMISSIONER, "Head of Community Connections"),
    "treasurer": ("treasurer", "Alex", "Morgan", Role.BOARD, "Section 151 Officer"),
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


def _ensure_user(
    username: str,
    role: str,
    *,
    first_name: str,
    last_name: str = "",
    organisation: Organisation | None = None,
    password: str,
    now: datetime.datetime,
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, first_name=first_name, last_name=last_name, date_joined=now)
    user.role = role
    # An address that can never be delivered (RFC 2606): the demo's notifications show on the console.
    user.email = f"{username}@demo.saferhub.invalid"
    user.organisation = organisation
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.is_active = True
    if not user.has_usable_password() or not user.check_password(password):
        user.set_password(password)
    user.save()
    if totp_required(user) and not user.totp_secret:
        # These roles need a second factor; the demo enrols one and prints its key.
        totp_enrol(user=user)
    return user


@transaction.atomic
def load(*, partnership: Partnership, now: datetime.datetime) -> None:
    password = demo_password()
    provider_org, _ = Organisation.objects.get_or_create(
        name=PROJECT_A_PROVIDER,
        defaults={"kind": OrganisationKind.CHARITY},
    )
    for role, username in USERNAMES.items():
        _ensure_user(
            username,
            role,
            first_name=Role(role).label,
            organisation=provider_org if role == Role.PROVIDER else None,
            password=password,
            now=now,
        )
    load_office_holders(partnership=partnership, now=now)


@transaction.atomic
def load_office_holders(*, partnership: Partnership, now: datetime.datetime) -> dict[str, User]:
    """The CSP manager and the treasurer, each appointed to their office of the partnership
    (the commissioning part calls this before the CSP manager signs the seed's return)."""
    from saferhub.commissioning.services import office_appoint, office_holders

    password = demo_password()
    users: dict[str, User] = {}
    held = office_holders(partnership)
    for office, (username, first, last, role, job_title) in OFFICE_HOLDERS.items():
        users[office] = _ensure_user(username, role, first_name=first, last_name=last, password=password, now=now)
        if office not in held:
            office_appoint(
                partnership=partnership,
                office=office,
                user=users[office],
                job_title=job_title,
                actor="saferhub demo",
                now=now,
            )
    return users


def logins() -> list[tuple[str, str, str]]:
    """(username, role, password) of each demo user, for ``saferhub demo`` to print."""
    password = demo_password()
    offices = {
        "csp_manager": "CSP manager: signs the half-year return first",
        "treasurer": "Treasurer / CFO: countersigns the half-year return",
    }
    return [(username, Role(role).label, password) for role, username in USERNAMES.items()] + [
        (username, f"{Role(role).label}; {offices[office]}", password)
        for office, (username, _, _, role, _) in OFFICE_HOLDERS.items()
    ]


def second_factors() -> list[tuple[str, str]]:
    """(username, TOTP key) of the demo users whose role needs a second factor."""
    names = [*USERNAMES.values(), *(holder[0] for holder in OFFICE_HOLDERS.values())]
    return list(
        User.objects.filter(username__in=names)
        .exclude(totp_secret="")
        .order_by("username")
        .values_list("username", "totp_secret")
    )
