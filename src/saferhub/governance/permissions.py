"""Governance rules, registered behind the one door (saferhub.accounts.permissions).
Every logged-in role may read the board's business (board members read everything); officers
who run the board (admin, commissioner, analyst) may change it and build packs."""

from __future__ import annotations

from saferhub.accounts.models import Role
from saferhub.accounts.permissions import roles, rule

OFFICERS = (Role.ADMIN, Role.COMMISSIONER, Role.ANALYST)

rule("governance.view")(roles(*Role.values))
rule("governance.edit")(roles(*OFFICERS))
rule("governance.pack.build")(roles(*OFFICERS))
