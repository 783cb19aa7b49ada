"""The account page (change password, re-enrol the second factor), password reset by email, and
the pages where an admin invites and manages users (issue 15). Thin: the writes are in
``account_services``; every session is still opened by the door (``door.door_open``)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from saferhub.audit.models import AuditAction
from saferhub.audit.services import audit_record

from . import totp
from .account_services import (
    invitation_user,
    other_sessions_end,
    password_change,
    totp_reenrol,
    user_invite,
    user_role_change,
)
from .door import door_open
from .forms import AccountPasswordForm, InvitationPasswordForm, InviteForm, RoleForm, TotpReenrolForm
from .models import Role, User
from .permissions import require
from .services import login_failure_record, login_refusal_record, login_throttled, totp_required, user_deactivate
from .views import PENDING, THROTTLED

NEW_SECRET = "account_new_totp_secret"


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


# --- your account ------------------------------------------------------------------------------


@csrf_protect
@never_cache
def account_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # The one setting on this page: email notifications on or off (an unticked box is absent).
        from .notifications import notifications_set

        on = request.POST.get("notifications") == "on"
        notifications_set(user=request.user, on=on, actor=request.user, now=timezone.now())
        messages.success(request, "You will get email notifications." if on else "You will get no email notifications.")
        return redirect("accounts:account")
    return render(
        request, "accounts/account.html", {"account": request.user, "needs_totp": totp_required(request.user)}
    )


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@csrf_protect
@never_cache
def account_password_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AccountPasswordForm(user, request.POST or None)
    if request.method == "POST":
        now = timezone.now()
        if login_throttled(username=user.username, now=now):
            login_refusal_record(username=user.username, now=now, ip_address=_ip(request))
            form.add_error(None, THROTTLED)  # answered as a wrong password is (as confirm-password does)
        elif form.is_valid():
            password_change(
                user=user,
                new_password=form.cleaned_data["new_password1"],
                now=now,
                keep_session=request.session.session_key,
                ip_address=_ip(request),
            )
            update_session_auth_hash(request, user)  # keeps this session (a new id), the door's mark with it
            messages.success(request, "Your password has been changed. You have been signed out everywhere else.")
            return redirect("accounts:account")
        elif "old_password" in form.errors:
            login_failure_record(
                username=user.username, now=now, ip_address=_ip(request), reason="wrong password on password change"
            )
    return render(request, "accounts/account_password.html", {"form": form})


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def account_totp_view(request: HttpRequest) -> HttpResponse:
    """Re-enrol the second factor: the current password and a valid code of the new secret."""
    user = request.user
    secret = request.session.get(NEW_SECRET) or totp.new_secret()
    request.session[NEW_SECRET] = secret
    form = TotpReenrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        if login_throttled(username=user.username, now=now):
            login_refusal_record(username=user.username, now=now, ip_address=_ip(request))
            form.add_error(None, THROTTLED)  # answered as a wrong password is (as confirm-password does)
        elif not user.check_password(form.cleaned_data["password"]):
            login_failure_record(
                username=user.username,
                now=now,
                ip_address=_ip(request),
                reason="wrong password on second-factor re-enrolment",
            )
            form.add_error("password", "Enter your current password")
        elif not totp_reenrol(
            user=user,
            secret=secret,
            code=form.cleaned_data["code"],
            now=now,
            keep_session=request.session.session_key,
            ip_address=_ip(request),
        ):
            login_failure_record(
                username=user.username,
                now=now,
                ip_address=_ip(request),
                reason="wrong code on second-factor re-enrolment",
            )
            form.add_error("code", "Enter the 6-digit code your authenticator app shows now for the new key")
        else:
            request.session.pop(NEW_SECRET, None)
            messages.success(request, "Your authenticator app has been set up again. The old one no longer works.")
            return redirect("accounts:account")
    return render(
        request,
        "accounts/account_totp.html",
        {"form": form, "secret": secret, "uri": totp.otpauth_uri(secret, account=user.username)},
    )


# --- password reset by email (Django's views, GOV.UK templates, throttled) ---------------------


def _reset_throttled(request: HttpRequest, email: str) -> bool:
    """At most SAFERHUB_RESET_PER_ADDRESS requests an hour for one address and
    SAFERHUB_RESET_PER_IP from one IP address; counted in the cache."""
    over = False
    for key, limit in (
        (f"reset:email:{email.lower()}", settings.SAFERHUB_RESET_PER_ADDRESS),
        (f"reset:ip:{_ip(request)}", settings.SAFERHUB_RESET_PER_IP),
    ):
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=3600)
            count = 1
        over = over or count > limit
    return over


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = "/accounts/password-reset/sent/"

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"]
        throttled = _reset_throttled(self.request, email)
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="accounts.user",
            ip_address=_ip(self.request),
            summary=("refused (too many requests): " if throttled else "")
            + f"password reset asked for {email[:200]!r}",
        )
        if throttled:
            # The same answer as when a message is sent: nothing says whether the address exists.
            return redirect(self.get_success_url())
        return super().form_valid(form)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = "/accounts/reset/done/"
    post_reset_login = False  # the user then signs in at the door, with the second factor

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        now = timezone.now()
        ended = other_sessions_end(user=form.user, now=now)
        audit_record(
            actor=form.user,
            action=AuditAction.UPDATE,
            obj=form.user,
            ip_address=_ip(self.request),
            at=now,
            summary=f"password reset by email; {ended} session(s) ended",
        )
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- invitations: the invitee's side -------------------------------------------------------------


@login_not_required
@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
def invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    """Set a password from the emailed link; then the second factor, where the role needs one,
    at the door's own enrolment step, which opens the session."""
    user = invitation_user(token)
    if user is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = InvitationPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit_record(
            actor=user,
            action=AuditAction.UPDATE,
            obj=user,
            ip_address=_ip(request),
            summary="invitation accepted; password set",
        )
        if totp_required(user):
            request.session.cycle_key()
            request.session[PENDING] = user.pk
            request.session["pending_at"] = time.time()
            return redirect("/accounts/totp/")
        door_open(request, user, second_factor=False)
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request, "accounts/invitation.html", {"form": form, "invitee": user, "needs_totp": totp_required(user)}
    )


# --- managing users: admins ------------------------------------------------------------------------


@never_cache
def users_view(request: HttpRequest) -> HttpResponse:
    require("accounts.users.manage", request.user, request=request)
    people = User.objects.select_related("organisation").order_by("-is_active", "username")
    return render(request, "accounts/users.html", {"people": people})


@csrf_protect
@never_cache
def user_invite_view(request: HttpRequest) -> HttpResponse:
    require("accounts.users.manage", request.user, request=request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = user_invite(
                email=data["email"],
                role=data["role"],
                organisation=data["organisation"],
                partnership=data["partnership"],
                actor=request.user,
                base_url=request.build_absolute_uri("/"),
                now=timezone.now(),
            )
        except ValidationError as exc:
            form.add_error("email", " ".join(exc.messages))
        else:
            messages.success(request, f"Invitation sent to {invitation.user.email}")
            return redirect("accounts:users")
    return render(request, "accounts/user_invite.html", {"form": form})


@csrf_protect
@never_cache
def user_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One user: change their role (and organisation), or deactivate them (their sessions end)."""
    require("accounts.users.manage", request.user, request=request)
    person = get_object_or_404(User, pk=pk)
    form = RoleForm(initial={"role": person.role, "organisation": person.organisation})
    if request.method == "POST":
        now = timezone.now()
        if request.POST.get("action") == "deactivate":
            if person.pk == request.user.pk:
                messages.error(request, "You cannot deactivate your own account")
            elif person.is_active:
                user_deactivate(user=person, actor=request.user, now=now)
                messages.success(request, f"{person.username} has been deactivated and signed out")
            return redirect("accounts:user", pk=person.pk)
        form = RoleForm(request.POST)
        if form.is_valid():
            user_role_change(
                user=person,
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
                actor=request.user,
                now=now,
            )
            messages.success(request, f"{person.username} is now {Role(person.role).label}")
            return redirect("accounts:user", pk=person.pk)
    return render(request, "accounts/user.html", {"person": person, "form": form})
