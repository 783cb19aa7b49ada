"""The API asks the same door as the web pages (``saferhub.accounts.permissions``).

Each endpoint names a rule. Endpoints of figures name the app's own rule
(``performance.figures.view``); a rule of the API defers to the app's rule of the same meaning
once that app registers it (``commissioning.view`` ...), so the web pages and the API cannot
drift apart.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from saferhub.accounts.models import Role
from saferhub.accounts.permissions import RULES, Decision, Rule, decide, record_denial, roles, rule
from saferhub.performance.permissions import unpublished_figures

EVERY_ROLE = tuple(Role.values)


def deferring(app_action: str, fallback: Rule) -> Rule:
    def check(user: Any, obj: Any) -> Decision:
        return RULES[app_action](user, obj) if app_action in RULES else fallback(user, obj)

    return check


rule("api.root.view")(roles(*EVERY_ROLE))
rule("api.partnerships.view")(roles(*EVERY_ROLE))
rule("api.organisations.view")(roles(*EVERY_ROLE))  # a provider sees its own only (scoped)
# Indicators' values and the performance report are unpublished figures: the endpoints ask the
# one figures rule by its own name; these older names are the same function.
rule("api.indicators.view")(unpublished_figures)
rule("api.reports.view")(unpublished_figures)
rule("api.publications.view")(roles(*EVERY_ROLE))  # published figures are public anyway


class RulePermission(BasePermission):
    """Allows a request when the view's ``rule`` allows the user. An anonymous request is
    refused before any rule (401 with token authentication); a refused rule is audited (403)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not getattr(request.user, "is_authenticated", False):
            return False
        action = getattr(view, "rule", None)
        if action is None:  # an endpoint that forgot its rule is closed, not open
            return False
        allowed, reason = decide(action, request.user, None)
        if not allowed:
            record_denial(request.user, action, None, reason, request=request)
            self.message = reason
        return allowed
