"""``recent_password_required``: ask for the password again before a sensitive action, such as
exporting unsuppressed sensitive figures (re-authentication; see docs/security.md).

Use it as a view decorator::

    @recent_password_required
    def export_unsuppressed(request, ...): ...

or, inside a view that only sometimes needs it, ``if not password_recently_confirmed(request):
return confirm_password_redirect(request)``."""

from __future__ import annotations

import functools
import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

SESSION_KEY = "password_confirmed_at"
CONFIRM_URL = "/accounts/confirm-password/"


def mark_password_confirmed(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = time.time()


def password_recently_confirmed(request: HttpRequest) -> bool:
    at = request.session.get(SESSION_KEY)
    return at is not None and time.time() - at <= settings.RECENT_PASSWORD_SECONDS


def confirm_password_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(f"{CONFIRM_URL}?{urlencode({'next': request.get_full_path()})}")


def recent_password_required(view):
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not password_recently_confirmed(request):
            return confirm_password_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped
