"""Who may do what with performance figures and reports (see saferhub.accounts.permissions)."""

from __future__ import annotations

from saferhub.accounts.models import Role
from saferhub.accounts.permissions import roles, rule

# Reading the partnership's figures and reports: every signed-in role but providers, who are
# charities delivering a project and see only their own organisation's commissioning work.
READERS = (Role.ADMIN, Role.ANALYST, Role.COMMISSIONER, Role.BOARD)
rule("performance.view")(roles(*READERS))
rule("reports.view")(roles(*READERS))
# Changing them: the people who own the figures.
rule("performance.import")(roles(Role.ADMIN, Role.ANALYST))
rule("performance.edit")(roles(Role.ADMIN, Role.ANALYST))
