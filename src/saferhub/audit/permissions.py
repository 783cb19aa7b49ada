"""Who may read the audit log: administrators only."""

from __future__ import annotations

from saferhub.accounts.models import Role
from saferhub.accounts.permissions import roles, rule

rule("audit.view")(roles(Role.ADMIN))
