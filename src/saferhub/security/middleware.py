"""Headers every response carries (ASVS 14.4), and a reference for every server error.

Django's SecurityMiddleware sends HSTS (over HTTPS), nosniff, Referrer-Policy and COOP; the
clickjacking middleware sends X-Frame-Options. This adds the Content Security Policy and keeps
authenticated pages out of every cache (ASVS 8.2.1)."""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404

logger = logging.getLogger("saferhub.security")


def new_reference() -> str:
    """A short reference a user can quote, and an operator can find in the log."""
    return secrets.token_hex(6).upper()


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) or request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            # Sensitive figures must not stay in a shared computer's cache or a proxy.
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response

    def process_exception(self, request, exception):
        # A 404 or a refusal is an answer, not a fault (refusals are in the audit log): only
        # what becomes a 500 is logged as a server error.
        if isinstance(exception, (Http404, PermissionDenied, BadRequest, SuspiciousOperation)):
            return None
        # The traceback goes to the log under a reference; the user sees only the reference.
        request.error_reference = new_reference()
        logger.error(
            "server error %s on %s %s", request.error_reference, request.method, request.path, exc_info=exception
        )
        return None
