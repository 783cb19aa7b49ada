"""Token authentication through the rules of the one sign-in door (saferhub.accounts.services):
a deactivated user's token fails; every failure is recorded in the throttle and the audit log;
after ``LOGIN_FAILURES_ALLOWED`` failures from one address within
``LOGIN_FAILURE_WINDOW_SECONDS`` the next token from it is refused (429) whatever it is, and
that refusal is audited too. Other addresses are not affected.

A token is not a password: an administrator issues it on the server (``saferhub token``), so
there is no second factor per request; what it may read is limited by its scopes
(``saferhub.api.models``)."""

from __future__ import annotations

import re
from typing import Any, NoReturn

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

KEY_RE = re.compile(r"[0-9a-f]{40}")  # as Django REST framework issues them (20 random bytes, hex)


def _throttle_key(ip: str | None) -> str:
    # The throttle counts per account name; a wrong token names no account, so its address does.
    return f"api-token@{ip or 'unknown'}"


class DoorTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, as Django REST framework's, with the door's rules."""

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        from saferhub.accounts.services import login_refusal_record, login_throttled

        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # no token offered: the session (or nobody) authenticates
        ip = request.META.get("REMOTE_ADDR")
        now = timezone.now()
        if login_throttled(username=_throttle_key(ip), now=now):
            login_refusal_record(username=_throttle_key(ip), now=now, ip_address=ip)
            raise exceptions.Throttled(
                wait=settings.LOGIN_FAILURE_WINDOW_SECONDS,
                detail="Too many failed API tokens from this address. Wait a minute, then try again.",
            )
        if len(parts) != 2:
            self._fail(ip, "malformed API token header")
        key = parts[1].decode("latin-1")
        if not KEY_RE.fullmatch(key):  # never a NUL or a megabyte into the database lookup
            self._fail(ip, "malformed API token")
        token = self.get_model().objects.select_related("user").filter(key=key).first()
        if token is None:
            self._fail(ip, "unknown API token")
        if not token.user.is_active:
            self._fail(ip, f"API token of the deactivated user {token.user.get_username()!r}")
        return token.user, token

    @staticmethod
    def _fail(ip: str | None, reason: str) -> NoReturn:
        from saferhub.accounts.services import login_failure_record

        login_failure_record(username=_throttle_key(ip), now=timezone.now(), ip_address=ip, reason=reason)
        raise exceptions.AuthenticationFailed("Invalid token.")
