"""Session lifetime and deny-by-default access (ASVS 3.3.1, 3.3.2, 4.1.5)."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import JsonResponse

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record

from .door import came_through_door

SEEN_AT_RESOLUTION_SECONDS = 60

logger = logging.getLogger("saferhub.security")


class DoorMiddleware:
    """Only the door opens sessions (see ``door``): a signed-in session it did not open, or one
    without a second factor the user's role now needs, is ended before any view sees it (Django's
    own views and DRF's session authentication included). Runs after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not came_through_door(request):
            user = request.user
            logger.warning("session of %r not opened by the sign-in: ended", user.get_username())
            audit_record(
                actor=user,
                action=AuditAction.DENIED,
                obj=user,
                summary=f"session not opened by the sign-in (or without a second factor), ended: {request.path[:200]}",
                ip_address=request.META.get("REMOTE_ADDR"),
            )
            logout(request)  # flushes the session; the request goes on anonymous
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """Log out after 30 minutes without a request, and 12 hours after signing in, whatever
    the activity. Runs after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            seen = request.session.get("seen_at", 0)
            born = request.session.get("auth_at", 0)
            if now - seen > settings.SESSION_IDLE_SECONDS or now - born > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)  # flushes the session; the request goes on anonymous
                request.session_expired = True
            elif now - seen > SEEN_AT_RESOLUTION_SECONDS:
                # Written at most once a minute, not on every request (a database write each
                # time); the idle clock can only run up to a minute early, never late.
                request.session["seen_at"] = now
        return self.get_response(request)


def is_public(request, view_func) -> bool:
    """A view anonymous visitors may open: marked ``login_not_required``, named in
    ``SAFERHUB_PUBLIC_URL_NAMES`` or under a public prefix (the published figures)."""
    if not getattr(view_func, "login_required", True):
        return True
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in settings.SAFERHUB_PUBLIC_URL_NAMES:
        return True
    return request.path.startswith(tuple(settings.SAFERHUB_PUBLIC_PATH_PREFIXES))


class DenyAnonymousMiddleware(LoginRequiredMiddleware):
    """Every view needs a signed-in user unless it is explicitly public: a page added later is
    protected without anyone remembering a decorator."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated or is_public(request, view_func):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"error": "authentication required"}, status=401)
        return self.handle_no_permission(request, view_func)
