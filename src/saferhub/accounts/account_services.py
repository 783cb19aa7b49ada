"""Writes for a user's own account and for the people an admin manages (issue 15): password
change, second-factor re-enrolment, invitations, role changes and deactivation. Each audited.
Views ask the clock; these take ``now``."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record, audit_value, audited_update

from . import totp
from .models import Role, User

INVITATION_SALT = "saferhub.accounts.invitation"


def other_sessions_end(*, user: User, now: datetime.datetime, keep: str | None = None) -> int:
    """Delete every session of this user but ``keep`` (the one making the change); returns how many."""
    ended = [
        s.session_key
        for s in Session.objects.filter(expire_date__gt=now).exclude(session_key=keep or "")
        if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@transaction.atomic
def password_change(
    *,
    user: User,
    new_password: str,
    now: datetime.datetime,
    keep_session: str | None,
    ip_address: str | None = None,
    summary: str = "password changed",
) -> int:
    """Set a new password (already validated by the form against AUTH_PASSWORD_VALIDATORS) and end
    the user's other sessions (ASVS 3.3.3). Returns how many sessions were ended."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    ended = other_sessions_end(user=user, now=now, keep=keep_session)
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=user,
        summary=f"{summary}; {ended} other session(s) ended",
        ip_address=ip_address,
        at=now,
    )
    return ended


@transaction.atomic
def totp_reenrol(
    *,
    user: User,
    secret: str,
    code: str,
    now: datetime.datetime,
    keep_session: str | None,
    ip_address: str | None = None,
) -> bool:
    """Replace the user's second factor by ``secret`` if ``code`` is a valid code of it; the old
    authenticator stops working and the user's other sessions end. False if the code is wrong."""
    step = totp.totp_match(secret, code, at=now)
    if step is None:
        return False
    user.totp_secret, user.totp_last_step = secret, step
    user.save(update_fields=["totp_secret", "totp_last_step"])
    ended = other_sessions_end(user=user, now=now, keep=keep_session)
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=user,
        summary=f"second factor (TOTP) re-enrolled; {ended} other session(s) ended",
        ip_address=ip_address,
        at=now,
    )
    return True


# --- invitations -------------------------------------------------------------------------------


def _password_state(user: User) -> str:
    # Changes when the invitee sets a password: the link then stops working (single use).
    return hashlib.sha256(f"{user.password}|{user.is_active}".encode()).hexdigest()[:16]


def invitation_token(user: User) -> str:
    """A signed, timestamped token naming the user and the state of their password."""
    return signing.dumps({"u": user.pk, "s": _password_state(user)}, salt=INVITATION_SALT, compress=True)


def invitation_user(token: str) -> User | None:
    """The invited user the token names, or None when it is forged, expired
    (``SAFERHUB_INVITATION_SECONDS``), already used, or the account was deactivated."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=settings.SAFERHUB_INVITATION_SECONDS)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or user.has_usable_password() or data.get("s") != _password_state(user):
        return None
    return user


@dataclass(frozen=True)
class Invitation:
    user: User
    link: str


def _organisation_check(role: str, organisation: Any) -> None:
    if role not in Role.values:
        raise ValidationError(f"unknown role {role!r} (known: {', '.join(Role.values)})")
    if role == Role.PROVIDER and organisation is None:
        raise ValidationError("a provider user needs an organisation")


@transaction.atomic
def user_invite(
    *, email: str, role: str, organisation: Any, partnership: Any, actor: Any, base_url: str, now: datetime.datetime
) -> Invitation:
    """Create the account (no usable password until the invitee sets one) and email the link.
    The username is the email address."""
    email = User.objects.normalize_email(email.strip())
    _organisation_check(role, organisation)
    if User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists():
        raise ValidationError(f"there is already a user with the email address {email}")
    user = User(username=email, email=email, role=role, organisation=organisation, date_joined=now)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    link = f"{base_url.rstrip('/')}/accounts/invitation/{invitation_token(user)}/"
    context = {
        "user": user,
        "link": link,
        "partnership": partnership,
        "role": Role(role).label,
        "organisation": organisation,
        "days": settings.SAFERHUB_INVITATION_SECONDS // 86400,
        "needs_totp": role in settings.SAFERHUB_TOTP_ROLES,
    }
    send_mail(
        subject=f"You are invited to saferhub for {partnership.name}",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=user,
        at=now,
        summary=f"invited {email} as {Role(role).label}"
        + (f" of {organisation}" if organisation else "")
        + f" for {partnership.slug}",
        after={"role": role, "organisation": audit_value(organisation), "partnership": partnership.slug},
    )
    return Invitation(user=user, link=link)


@transaction.atomic
def user_role_change(*, user: User, role: str, organisation: Any, actor: Any, now: datetime.datetime) -> None:
    """Give the user another role (and organisation); audited with before and after."""
    _organisation_check(role, organisation)
    audited_update(
        user,
        {"role": role, "organisation": organisation},
        actor=actor,
        at=now,
        summary=f"role changed to {Role(role).label}" + (f" of {organisation}" if organisation else ""),
        only_changes=True,
    )
