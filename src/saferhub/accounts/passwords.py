"""Password rules beyond Django's own (ASVS 2.1.1-2.1.2: at least 12 characters, 64 allowed)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Refuse passwords longer than ``max_length`` (64 must be allowed; longer only slows
    hashing for nothing and invites denial of service)."""

    def __init__(self, max_length: int = 64):
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long. It must contain at most {self.max_length} characters.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password must contain at most {self.max_length} characters."
