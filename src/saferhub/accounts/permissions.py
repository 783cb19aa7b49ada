"""Permissions as named rules behind one door.

Every right is a small function ``rule(user, obj) -> (allowed, reason)`` registered under an
action name such as ``"commissioning.return.submit"``. Views and services ask through
``has_permission`` / ``require``; they never test roles themselves. Visibility of objects that
belong to an organisation is a separate question (``visible``): an object the user may not see
is answered with 404, exactly as a missing one, while a forbidden action on a visible object is a
403. Every denial is written to the audit log.

Apps register their rules in their own ``permissions.py`` with ``@rule("app.thing.verb")``; the
module is imported by the app's ``AppConfig.ready``.
"""

from __future__ import annotations

from typing import Any, Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Role

Decision = tuple[bool, str]
Rule = Callable[[Any, Any], Decision]

RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        if action in RULES:
            raise ValueError(f"permission rule {action!r} registered twice")
        RULES[action] = fn
        return fn

    return register


def role_of(user: Any) -> str | None:
    """The user's role, or None for an anonymous visitor (the public)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role


def roles(*allowed: str) -> Rule:
    """A rule that allows the given roles, whatever the object."""

    def check(user: Any, obj: Any) -> Decision:
        r = role_of(user)
        if r in allowed:
            return True, ""
        return False, f"the {r or 'public'} role may not do this"

    return check


def all_of(*parts: str | Rule) -> Rule:
    """A rule that allows only what every part allows. A part named by its action is looked up
    when asked, not copied, so a rule that includes another (``performance.figures.view``) stays
    one rule; the first refusal gives its reason."""

    def check(user: Any, obj: Any) -> Decision:
        for part in parts:
            allowed, reason = decide(part, user, obj) if isinstance(part, str) else part(user, obj)
            if not allowed:
                return False, reason
        return True, ""

    return check


def has_permission(action: str, user: Any, obj: Any = None) -> bool:
    return decide(action, user, obj)[0]


def decide(action: str, user: Any, obj: Any = None) -> Decision:
    try:
        fn = RULES[action]
    except KeyError:
        # Deny by default: an action nobody wrote a rule for is refused.
        return False, f"no rule allows {action!r}"
    return fn(user, obj)


def require(action: str, user: Any, obj: Any = None, *, request: Any = None) -> None:
    """Raise PermissionDenied (403), recording the denial, unless the rule allows it."""
    allowed, reason = decide(action, user, obj)
    if not allowed:
        record_denial(user, action, obj, reason, request=request)
        raise PermissionDenied(reason)


def record_denial(user: Any, action: str, obj: Any, reason: str, *, request: Any = None) -> None:
    from saferhub.audit.models import AuditAction
    from saferhub.audit.services import audit_record

    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    audit_record(
        actor=user,
        action=AuditAction.DENIED,
        obj=obj if hasattr(obj, "_meta") else None,
        summary=f"{action}: {reason}"[:500],
        ip_address=ip,
    )


def organisation_of(obj: Any) -> Any:
    """The organisation that owns an object, by its ``owning_organisation`` hook, if any."""
    hook = getattr(obj, "owning_organisation", None)
    return hook() if callable(hook) else hook


def visible(user: Any, obj: Any) -> bool:
    """A provider user sees only what its organisation owns; other roles see everything they
    are logged in for. Objects without an owner are visible to every logged-in role."""
    r = role_of(user)
    if r is None:
        return False
    if r != Role.PROVIDER:
        return True
    owner = organisation_of(obj)
    return owner is not None and owner.pk == user.organisation_id


def get_visible_or_404(user: Any, obj: Any, *, request: Any = None) -> Any:
    """Return obj if the user may see it; otherwise 404, as if it did not exist (and log it)."""
    if obj is None or not visible(user, obj):
        if obj is not None:
            record_denial(user, "view", obj, "not visible to this user", request=request)
        raise Http404("Not found")
    return obj
