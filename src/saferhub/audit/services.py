"""Writing the audit log. Services call ``audit_record`` inside their own transaction, so an
event exists exactly when the change it describes does."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Callable, Iterable, Mapping

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from .models import AuditAction, AuditEvent, ReadCount


def _describe(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk or "")


def audit_record(
    *,
    actor: Any = None,
    action: AuditAction | str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    before: Any = None,
    after: Any = None,
    ip_address: str | None = None,
    at: datetime.datetime | None = None,
) -> AuditEvent:
    """Append one event. ``actor`` is a user, or None for the system or an anonymous visitor;
    ``before``/``after`` are JSON-able dicts of the fields that changed."""
    otype, oid = _describe(obj)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        at=at or timezone.now(),
        actor=user,
        actor_name=(user.get_username() if user else (actor if isinstance(actor, str) else "")),
        action=str(action),
        object_type=object_type or otype,
        object_id=str(object_id or oid),
        summary=summary[:500],
        before=before,
        after=after,
        ip_address=ip_address,
    )


def audit_value(value: Any) -> Any:
    """A field's value as the audit log keeps it: dates and times in ISO form, money as text, a
    related row by its name (its str: "Safe Harbour Trust", not the database id 17 that no auditor
    can read; the event's own object is named by its type and id), anything else as it is."""
    if isinstance(value, (datetime.date, datetime.time, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "_meta"):
        return str(value)
    return value


def audit_values(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as the audit log keeps them (``audit_value``)."""
    return {f: audit_value(getattr(obj, f)) for f in fields}


def audited_update(
    obj: models.Model,
    changes: Mapping[str, Any],
    *,
    actor: Any,
    at: datetime.datetime,
    summary: str | Callable[[Any, list[str]], str],
    only_changes: bool = False,
    clean: bool = False,
    related: Callable[[Any], None] | None = None,
    state: Callable[[Any], Mapping[str, Any]] | None = None,
    on_change: Callable[[], None] | None = None,
) -> AuditEvent | None:
    """Set ``changes`` on ``obj``, save it (only the changed fields with ``only_changes``; validated
    first with ``clean``) and record the update with what changed before and after, in the caller's
    transaction: the one way an update is audited.

    By default what is recorded is the changed fields (``audit_values``). An update that reaches
    beyond the object's own fields passes ``related`` (the further changes, made once the object is
    saved, to rows that belong to it) and ``state`` (the object's audited state, those rows
    included): then only the keys of the state that differ are recorded, nothing at all when none
    does, and ``on_change`` runs once something has changed, before the event is written.
    ``summary`` may be a function of the changed object and the names of what changed (its name
    may be one of the changes). Returns the event, or None when nothing changed."""
    view = state or (lambda o: audit_values(o, changes))
    before = dict(view(obj))
    for field, value in changes.items():
        setattr(obj, field, value)
    if clean:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save(update_fields=list(changes) if only_changes else None)
    if related is not None:
        related(obj)
    after = dict(view(obj))
    changed = list(changes)
    if state is not None:
        changed = sorted(k for k in after if after[k] != before.get(k))
        if not changed:
            return None
        before, after = {k: before.get(k) for k in changed}, {k: after[k] for k in changed}
    if on_change is not None:
        on_change()
    return audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=obj,
        at=at,
        summary=summary(obj, changed) if callable(summary) else summary,
        before=before,
        after=after,
    )


def read_count(*, obj: models.Model, what: str, at: datetime.datetime) -> None:
    """Count one public read of ``obj`` on ``at``'s day (local time): one row per day, incremented
    in the database (F()), so concurrent readers never lose a count and never write an event."""
    otype, oid = _describe(obj)
    key = {"day": timezone.localdate(at), "object_type": otype, "object_id": oid, "what": what}
    if ReadCount.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ReadCount.objects.create(**key, count=1)
    except IntegrityError:  # another reader created the day's row first
        ReadCount.objects.filter(**key).update(count=F("count") + 1)
