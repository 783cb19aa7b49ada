"""Who may set up partnerships (see saferhub.accounts.permissions).

Set-up belongs to administrators: the partnership, its area and the task list "Set up your
partnership". Organisations are kept by administrators and commissioning officers (who add the
providers and funders they commission). A partnership's indicators and targets belong to whoever
owns its figures: ``performance.edit`` (administrators and analysts)."""

from __future__ import annotations

from saferhub.accounts.models import Role
from saferhub.accounts.permissions import roles, rule

SETUP = "partnerships.setup"
ORGANISATIONS = "partnerships.organisations.manage"

rule(SETUP)(roles(Role.ADMIN))
rule(ORGANISATIONS)(roles(Role.ADMIN, Role.COMMISSIONER))
