"""Writes for accounts: throttled sign-in, TOTP enrolment, deactivation. Each one audited."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record

from . import totp
from .models import LoginFailure, User

logger = logging.getLogger("saferhub.security")


def login_throttled(*, username: str, now: datetime.datetime) -> bool:
    since = now - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    return (
        LoginFailure.objects.filter(username=username.lower(), at__gt=since).count() >= settings.LOGIN_FAILURES_ALLOWED
    )


@transaction.atomic
def login_failure_record(
    *, username: str, now: datetime.datetime, ip_address: str | None = None, reason: str = "wrong password"
) -> None:
    """Record a failed attempt (in the throttle and in the audit log)."""
    LoginFailure.objects.create(username=username.lower()[:150], at=now, ip_address=ip_address)
    audit_record(
        actor=username[:150],
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        summary=f"{reason} for {username[:150]!r}",
        ip_address=ip_address,
        at=now,
    )


@transaction.atomic
def login_refusal_record(*, username: str, now: datetime.datetime, ip_address: str | None = None) -> None:
    """A throttled attempt: refused without checking the password, logged and audited."""
    logger.warning("login throttled for account %r from %s", username, ip_address)
    audit_record(
        actor=username[:150],
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        summary=f"refused: too many failures for {username[:150]!r} within {settings.LOGIN_FAILURE_WINDOW_SECONDS} s",
        ip_address=ip_address,
        at=now,
    )


def totp_required(user: Any) -> bool:
    return settings.SAFERHUB_REQUIRE_TOTP and (user.is_superuser or user.role in settings.SAFERHUB_TOTP_ROLES)


@transaction.atomic
def totp_enrol(*, user: User, secret: str | None = None) -> str:
    """Give the user a TOTP secret and return it (base32). The demo and tests use this; a
    person enrols through the sign-in page, which stores the secret only after a valid code.
    ``saferhub.accounts.totp.totp_code(secret, at=now)`` gives the current code."""
    secret = secret or totp.new_secret()
    user.totp_secret, user.totp_last_step = secret, None
    user.save(update_fields=["totp_secret", "totp_last_step"])
    audit_record(actor=None, action=AuditAction.UPDATE, obj=user, summary="second factor (TOTP) enrolled")
    return secret


@transaction.atomic
def totp_verify(*, user: User, code: str, now: datetime.datetime, secret: str | None = None) -> bool:
    """Check a code against the user's secret (or a secret being enrolled); a used code is spent."""
    secret = secret or user.totp_secret
    if not secret:
        return False
    locked = User.objects.select_for_update().get(pk=user.pk)  # two requests cannot spend one code
    step = totp.totp_match(secret, code, at=now, after_step=locked.totp_last_step)
    if step is None:
        return False
    user.totp_secret, user.totp_last_step = secret, step
    user.save(update_fields=["totp_secret", "totp_last_step"])
    return True


def sessions_end(*, user: User, now: datetime.datetime) -> int:
    """Delete every session of this user; returns how many."""
    ended = [
        s.session_key
        for s in Session.objects.filter(expire_date__gt=now)
        if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@transaction.atomic
def user_deactivate(*, user: User, actor: Any, now: datetime.datetime) -> None:
    """Deactivate the account and end its sessions at once (ASVS 3.3.4)."""
    user.is_active = False
    user.save(update_fields=["is_active"])  # the post_save receiver ends the sessions
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        summary="deactivated; sessions ended",
        before={"is_active": True},
        after={"is_active": False},
        at=now,
    )
