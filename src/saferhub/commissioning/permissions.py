"""Who may do what in commissioning (registered with the one door in accounts.permissions).

Visibility is separate: a provider user sees only its organisation's projects and returns
(``owning_organisation``), answered with 404 by ``get_visible_or_404``."""

from __future__ import annotations

from typing import Any

from saferhub.accounts.models import Role
from saferhub.accounts.permissions import Decision, role_of, roles, rule
from saferhub.domain.commissioning import EDITABLE_REVIEW_STATES

rule("commissioning.view")(roles(Role.ADMIN, Role.ANALYST, Role.COMMISSIONER, Role.PROVIDER, Role.BOARD))
rule("commissioning.edit")(roles(Role.ADMIN, Role.COMMISSIONER))
rule("commissioning.return.review")(roles(Role.ADMIN, Role.COMMISSIONER))
# Who appoints the holders of the offices that sign the half-year return.
rule("commissioning.offices.manage")(roles(Role.ADMIN))


@rule("commissioning.return.sign_off")
def _office_holder(user: Any, obj: Any) -> Decision:
    """Signing is an office, not a role: the holder of either office of the return's partnership
    may come to the signing form (which office signs next, and whether this user may make that
    signature, is the service's: ``half_year_return_sign``)."""
    if role_of(user) in (None, Role.PROVIDER):
        return False, "only the partnership's CSP manager or treasurer / CFO may sign its half-year return"
    from .models import OfficeHolder

    held = OfficeHolder.objects.filter(user=user)
    partnership_id = getattr(getattr(obj, "fund", None), "partnership_id", None)
    if partnership_id is not None:
        held = held.filter(partnership_id=partnership_id)
    if held.exists():
        return True, ""
    return False, "only the partnership's CSP manager or treasurer / CFO may sign its half-year return"


def _provider_of(obj: Any) -> Any:
    hook = getattr(obj, "owning_organisation", None)
    return hook() if callable(hook) else None


def _return_writer(verb: str):
    def check(user: Any, obj: Any) -> Decision:
        r = role_of(user)
        if r in (Role.ADMIN, Role.COMMISSIONER):
            return True, ""
        if r != Role.PROVIDER:
            return False, f"the {r or 'public'} role may not {verb} a return"
        provider = _provider_of(obj)
        if provider is None or provider.pk != user.organisation_id:
            return False, f"only the project's provider may {verb} its return"
        state = getattr(obj, "state", None)
        if state is not None and state not in EDITABLE_REVIEW_STATES:
            return False, f"the return is {obj.get_state_display().lower()}: the provider may not {verb} it now"
        return True, ""

    return check


rule("commissioning.return.edit")(_return_writer("edit"))
rule("commissioning.return.submit")(_return_writer("submit"))
