"""Who may do what with performance figures and reports (see saferhub.accounts.permissions)."""

from __future__ import annotations

from saferhub.accounts.models import Role
from saferhub.accounts.permissions import roles, rule

EVERY_ROLE = tuple(Role.values)

# Reading figures and reports: every signed-in role.
rule("performance.view")(roles(*EVERY_ROLE))
rule("reports.view")(roles(*EVERY_ROLE))
# Changing them: the people who own the figures.
rule("performance.import")(roles(Role.ADMIN, Role.ANALYST))
rule("performance.edit")(roles(Role.ADMIN, Role.ANALYST))
