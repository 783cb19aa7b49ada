"""The door (see ``door``): password (throttled per account), then a TOTP code for the roles that need one;
re-entering the password before sensitive exports. Views ask the clock; services take ``now``."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record

from . import totp
from .door import door_open
from .services import login_failure_record, login_refusal_record, login_throttled, totp_required, totp_verify

PENDING = "pending_user_id"
ENROL_SECRET = "totp_enrol_secret"
THROTTLED = "Too many failed attempts for this account. Wait a minute, then try again."
WRONG = "Enter a correct username and password."


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def _complete(request: HttpRequest, user, *, second_factor: bool) -> HttpResponse:
    target = _next(request)
    door_open(request, user, second_factor=second_factor)
    return redirect(target)


@login_not_required
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:150]
        password = request.POST.get("password", "")
        now = timezone.now()
        if login_throttled(username=username, now=now):
            login_refusal_record(username=username, now=now, ip_address=_ip(request))
            error = THROTTLED
        else:
            user = authenticate(request, username=username, password=password)
            if user is None:
                login_failure_record(username=username, now=now, ip_address=_ip(request))
                error = WRONG
            elif totp_required(user):
                request.session.cycle_key()
                request.session[PENDING] = user.pk
                request.session["pending_at"] = time.time()
                return redirect("/accounts/totp/?" + urlencode({"next": _next(request)}))
            else:
                return _complete(request, user, second_factor=False)
    status = 429 if error == THROTTLED else 200
    return render(
        request, "accounts/login.html", {"error": error, "username": username, "next": _next(request)}, status=status
    )


@login_not_required
@csrf_protect
@never_cache
def totp_view(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the user's app; or, the first time, enrolment."""
    pending = request.session.get(PENDING)
    if pending is None or time.time() - request.session.get("pending_at", 0) > 300:
        return redirect(settings.LOGIN_URL)
    user = get_user_model().objects.get(pk=pending)
    enrolling = not user.totp_secret
    secret = user.totp_secret
    if enrolling:
        secret = request.session.get(ENROL_SECRET) or totp.new_secret()
        request.session[ENROL_SECRET] = secret
    error = ""
    if request.method == "POST":
        now = timezone.now()
        if login_throttled(username=user.username, now=now):
            login_refusal_record(username=user.username, now=now, ip_address=_ip(request))
            error = THROTTLED
        elif totp_verify(user=user, code=request.POST.get("code", ""), now=now, secret=secret):
            for key in (PENDING, ENROL_SECRET, "pending_at"):
                request.session.pop(key, None)
            return _complete(request, user, second_factor=True)
        else:
            login_failure_record(username=user.username, now=now, ip_address=_ip(request), reason="wrong code")
            error = "Enter the 6-digit code your authenticator app shows now."
    context = {"error": error, "enrolling": enrolling, "next": _next(request)}
    if enrolling:
        context.update(secret=secret, uri=totp.otpauth_uri(secret, account=user.username))
    return render(request, "accounts/totp.html", context, status=429 if error == THROTTLED else 200)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def confirm_password_view(request: HttpRequest) -> HttpResponse:
    """Re-enter the password before a sensitive action (see ``recent_password_required``)."""
    from .reauth import mark_password_confirmed

    error = ""
    if request.method == "POST":
        now = timezone.now()
        user = request.user
        if login_throttled(username=user.username, now=now):
            login_refusal_record(username=user.username, now=now, ip_address=_ip(request))
            error = THROTTLED
        elif user.check_password(request.POST.get("password", "")):
            mark_password_confirmed(request)
            return redirect(_next(request))
        else:
            login_failure_record(
                username=user.username, now=now, ip_address=_ip(request), reason="wrong password on confirmation"
            )
            error = "Enter your password."
    return render(request, "accounts/confirm_password.html", {"error": error, "next": _next(request)})


class AuditedLogoutView(LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit_record(
                actor=request.user,
                action=AuditAction.LOGOUT,
                obj=request.user,
                summary="signed out",
                ip_address=_ip(request),
            )
        return super().post(request, *args, **kwargs)
