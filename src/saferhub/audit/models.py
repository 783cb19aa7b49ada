"""The audit log: who did what, when, with the state before and after. Append-only: the
application never updates or deletes an event (retention purging is a separate command)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferhub.domain.problems import SaferhubError


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    LOGIN = "login", "Logged in"
    LOGIN_FAILED = "login_failed", "Failed login"
    LOGOUT = "logout", "Logged out"
    DENIED = "denied", "Denied"
    IMPORT = "import", "Imported"
    EXPORT = "export", "Exported"
    SUBMIT = "submit", "Submitted"
    SIGN_OFF = "sign_off", "Signed off"
    PUBLISH = "publish", "Published"


class AuditLogIsAppendOnly(SaferhubError):
    pass


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too: the event must still say who after the user is gone.
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=80, blank=True, db_index=True)
    object_id = models.CharField(max_length=80, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or 'anonymous'} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit events cannot be deleted")


class ReadCount(models.Model):
    """How often something public was read on a day: one row per object, kind of read and day,
    incremented in the database. Public reads are counted, not audited one by one, so that
    anonymous visitors cannot flood the audit log (issue 12, finding 9)."""

    day = models.DateField()
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=80)
    what = models.CharField(max_length=40)  # e.g. "figures.csv"
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "object_type", "object_id", "what"], name="one_read_count_a_day")
        ]
        ordering = ["-day", "object_type", "object_id", "what"]

    def __str__(self) -> str:
        return f"{self.day} {self.object_type} {self.object_id} {self.what}: {self.count}"
