"""The one door: the only place a session is opened (issue 12, finding 1).

The sign-in (``accounts.views``) checks the password against the per-account throttle, asks for
the second factor where the role needs it (``SAFERHUB_TOTP_ROLES``), audits, and then calls
``door_open``, which marks the session. ``DoorMiddleware`` ends, at its first request, any
session that carries no such mark for its user: one made by Django's own admin sign-in, by a
package's login view, or by anything added later that calls ``django.contrib.auth.login``. A
session whose user has come to need a second factor it did not give ends the same way. The admin
site's own sign-in sends people to this door (``accounts.admin_site``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.http import HttpRequest

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record

from .services import totp_required

SESSION_KEY = "saferhub_door"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def door_mark(session: Any, user: Any, *, second_factor: bool) -> None:
    """Record in the session that ``user`` came through the door, with or without the second factor."""
    session[SESSION_KEY] = {"user": str(user.pk), "second_factor": bool(second_factor)}


def door_open(request: HttpRequest, user: Any, *, second_factor: bool) -> None:
    """Sign ``user`` in, after the password (and the second factor, if ``second_factor``)."""
    login(request, user, backend=BACKEND)  # rotates the session id
    door_mark(request.session, user, second_factor=second_factor)
    audit_record(
        actor=user, action=AuditAction.LOGIN, obj=user, summary="signed in", ip_address=request.META.get("REMOTE_ADDR")
    )


def came_through_door(request: HttpRequest) -> bool:
    """Whether the signed-in user's session was opened by the door, with every factor the role needs now."""
    user = request.user
    mark = request.session.get(SESSION_KEY) or {}
    if not isinstance(mark, dict) or mark.get("user") != str(user.pk):
        return False
    return bool(mark.get("second_factor")) or not totp_required(user)
