"""Sign-ins, failed sign-ins and sign-outs go to the audit log. These receivers only record;
they change no business state."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditAction
from .services import audit_record


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in, dispatch_uid="saferhub.audit.login")
def on_login(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user, summary=f"{user.get_username()} signed in", ip_address=_ip(request))


@receiver(user_logged_out, dispatch_uid="saferhub.audit.logout")
def on_logout(sender, request, user, **kwargs) -> None:
    if user is None:  # signing out without a session
        return
    audit_record(actor=user, action=AuditAction.LOGOUT, obj=user, summary=f"{user.get_username()} signed out", ip_address=_ip(request))


@receiver(user_login_failed, dispatch_uid="saferhub.audit.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in ``credentials``; keep only the name tried.
    name = str(credentials.get("username", ""))[:150]
    audit_record(actor=name, action=AuditAction.LOGIN_FAILED, summary=f"failed sign-in as {name!r}", ip_address=_ip(request))
