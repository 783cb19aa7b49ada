"""Soft retirement: a retired row is kept for the record (returns, packs and the audit log still
name it) but no longer offered: the default manager ``objects`` leaves it out, so do the related
managers (``project.kpis``) and every choice built from them; ``all_objects`` sees everything
(the set-up pages list what was retired, and a forward foreign key still reaches it)."""

from __future__ import annotations

from typing import Any

from django.db import models


class CurrentManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(retired_at__isnull=True)


class Retirable(models.Model):
    retired_at = models.DateTimeField(null=True, blank=True, help_text="when it was retired (kept for the record)")

    objects = CurrentManager()
    all_objects = models.Manager()

    class Meta:
        abstract = True

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


def retire_or_reinstate(obj: Any, *, retire: bool, actor: object, now: Any, summary: str) -> Any:
    """Retire ``obj`` (``retire``) or reinstate it, and audit the change; doing it twice changes
    nothing. ``obj`` is any model with a ``retired_at`` field; the caller holds the transaction
    and says what changed."""
    from saferhub.audit.models import AuditAction
    from saferhub.audit.services import audit_record

    if (obj.retired_at is not None) == retire:
        return obj
    before = obj.retired_at
    obj.retired_at = now if retire else None
    obj.save(update_fields=["retired_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=obj,
        at=now,
        summary=summary,
        before={"retired_at": before.isoformat() if before else None},
        after={"retired_at": obj.retired_at.isoformat() if obj.retired_at else None},
    )
    return obj


def retire_record(obj: Retirable, *, actor: object, now: Any, summary: str) -> Retirable:
    """Retire ``obj`` and audit it; the caller has refused a second retirement with its own error."""
    return retire_or_reinstate(obj, retire=True, actor=actor, now=now, summary=summary)
