"""Django's admin without a door of its own (issue 12, finding 1): its sign-in sends people to the
project's sign-in (password, throttle, second factor, audit), it opens only for a session that
came through that door, its password change is throttled and audited like every password
check, and signing out of it is audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from .door import came_through_door
from .services import login_failure_record, login_refusal_record, login_throttled

THROTTLED = "Too many failed attempts for this account. Wait a minute, then try again."


class DoorPasswordChangeForm(AdminPasswordChangeForm):
    """The old password is checked as the sign-in checks a password: throttled and audited."""

    def clean_old_password(self) -> Any:
        now, username = timezone.now(), self.user.get_username()
        if login_throttled(username=username, now=now):
            login_refusal_record(username=username, now=now)
            raise forms.ValidationError(THROTTLED, code="throttled")
        try:
            return super().clean_old_password()
        except forms.ValidationError:
            login_failure_record(username=username, now=now, reason="wrong password on password change")
            raise


class DoorAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and came_through_door(request)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """No form here: the project's sign-in, then back to the admin."""
        target = request.GET.get(REDIRECT_FIELD_NAME) or request.POST.get(REDIRECT_FIELD_NAME) or ""
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = ""
        target = target or reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(target)
            raise PermissionDenied  # signed in, but not staff: the sign-in would only loop
        return redirect_to_login(target)

    def password_change(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # As Django's, with the throttled form (AdminSite has no setting for the form).
        from django.contrib.auth.views import PasswordChangeView

        request.current_app = self.name
        return PasswordChangeView.as_view(
            form_class=DoorPasswordChangeForm,
            success_url=reverse("admin:password_change_done", current_app=self.name),
            extra_context={**self.each_context(request), **(extra_context or {})},
        )(request)

    def logout(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        from .views import AuditedLogoutView

        return AuditedLogoutView.as_view()(request)
