"""Users and their roles. A user has one role; a provider user belongs to one organisation and
sees only that organisation's work (see ``permissions.py``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    ANALYST = "analyst", "Community safety analyst"
    COMMISSIONER = "commissioner", "Commissioning officer"
    PROVIDER = "provider", "Provider"
    BOARD = "board", "Board member"


class SaferhubUserManager(UserManager["User"]):
    def create_superuser(self, username: str, email: str | None = None, password: str | None = None, **extra: Any):
        # `saferhub createsuperuser` makes the first administrator: without this the account would
        # act as an administrator but be listed with the default role, "Board member".
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    objects = SaferhubUserManager()

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.BOARD)
    organisation = models.ForeignKey(
        "partnerships.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    # RFC 6238 shared secret (base32), set once the user has proved their app shows the codes.
    totp_secret = models.CharField(max_length=64, blank=True)
    # The last time step accepted, so a code cannot be used twice.
    totp_last_step = models.BigIntegerField(null=True, blank=True)
    # Emails about work (returns, packs, publications); the user turns them off on their account page.
    # Invitations and password resets are sent whatever this says.
    notifications = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
            # A provider user without an organisation would see nothing, or worse, everything.
            models.CheckConstraint(
                condition=~models.Q(role="provider") | models.Q(organisation__isnull=False),
                name="provider_user_has_organisation",
            ),
        ]


class LoginFailure(models.Model):
    """A failed password or code for a username, kept to throttle guessing per account: one
    account under attack does not lock out any other (ASVS 2.2.1)."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]


class NotificationSent(models.Model):
    """One notification emailed to one user: what it was about (kind and object), when. Kept so a
    reminder (a return overdue) goes once, and so an administrator can see who was told what."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications_sent")
    kind = models.CharField(max_length=40)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=80)
    subject = models.CharField(max_length=300)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["kind", "object_type", "object_id"], name="notification_sent_about")]
