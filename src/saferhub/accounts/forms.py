"""Forms of the account pages and the user management pages (issue 15)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

from saferhub.partnerships.models import Organisation, Partnership

from .models import Role


class AccountPasswordForm(PasswordChangeForm):
    """Django's own: the current password, then the new one twice, checked by AUTH_PASSWORD_VALIDATORS."""


class InvitationPasswordForm(SetPasswordForm):
    """The invitee chooses a password (the same validators)."""


class TotpReenrolForm(forms.Form):
    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="Security code from your authenticator app",
        help_text="6 digits",
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label="Organisation",
        # A retired organisation is kept for its history, not offered for new people.
        queryset=Organisation.objects.current(),
        required=False,
        help_text="Needed for a provider: they see only their organisation's work",
    )
    partnership = forms.ModelChoiceField(label="Partnership", queryset=Partnership.objects.current(), empty_label=None)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("role") == Role.PROVIDER and not data.get("organisation"):
            self.add_error("organisation", "Select the provider's organisation")
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    organisation = forms.ModelChoiceField(label="Organisation", queryset=Organisation.objects.all(), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("role") == Role.PROVIDER and not data.get("organisation"):
            self.add_error("organisation", "Select the provider's organisation")
        return data
