"""Sensitive, unsuppressed figures through the API: the same rule as the web downloads.

A token reads them only with the ``read:sensitive`` scope (granted by an administrator); a
browser session only after the password was re-entered (``saferhub.accounts.reauth``, as a
download). Either way every such read is an audited export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authtoken.models import Token

from saferhub.accounts.permissions import Decision, record_denial
from saferhub.accounts.reauth import CONFIRM_URL, password_recently_confirmed
from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record

from .models import Scope, token_scopes

ACTION = "api.sensitive.read"


def sensitive_read(request: Any) -> Decision:
    """May this request read sensitive figures (its role's rule already allows the figures)?"""
    if isinstance(request.auth, Token):
        if Scope.READ_SENSITIVE in token_scopes(request.auth):
            return True, ""
        return False, (
            f"sensitive, unsuppressed figures need a token with the {Scope.READ_SENSITIVE.value} scope, "
            "which an administrator grants (saferhub token create --user NAME --scope read:sensitive)"
        )
    if password_recently_confirmed(request._request):
        return True, ""
    minutes = settings.RECENT_PASSWORD_SECONDS // 60
    return False, (
        f"sensitive, unsuppressed figures need your password again: confirm it at {CONFIRM_URL} "
        f"(valid {minutes} minutes), then ask again"
    )


def require_sensitive_read(request: Any, obj: Any) -> None:
    allowed, reason = sensitive_read(request)
    if not allowed:
        record_denial(request.user, ACTION, obj, reason, request=request)
        raise exceptions.PermissionDenied(reason)


def sensitive_export_record(request: Any, obj: Any, what: str) -> None:
    via = "token" if isinstance(request.auth, Token) else "session"
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        obj=obj,
        summary=f"{what} through the API ({via})"[:500],
        ip_address=request.META.get("REMOTE_ADDR"),
    )
