"""Users and their roles. A user has one role; a provider user belongs to one organisation and
sees only that organisation's work (see ``permissions.py``)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    ANALYST = "analyst", "Community safety analyst"
    COMMISSIONER = "commissioner", "Commissioning officer"
    PROVIDER = "provider", "Provider"
    BOARD = "board", "Board member"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.BOARD)
    organisation = models.ForeignKey(
        "partnerships.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
            # A provider user without an organisation would see nothing, or worse, everything.
            models.CheckConstraint(
                condition=~models.Q(role="provider") | models.Q(organisation__isnull=False),
                name="provider_user_has_organisation",
            ),
        ]

    @property
    def display_role(self) -> str:
        return Role(self.role).label
