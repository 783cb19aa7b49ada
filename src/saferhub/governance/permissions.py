"""Governance rules, registered behind the one door (saferhub.accounts.permissions).
Every logged-in role may read the board's business; issued packs only board members and the
officers who run the board (admin, commissioner, analyst), who may also change it and build packs."""

from __future__ import annotations

from saferhub.accounts.models import Role
from saferhub.accounts.permissions import roles, rule

OFFICERS = (Role.ADMIN, Role.COMMISSIONER, Role.ANALYST)

rule("governance.view")(roles(*Role.values))
rule("governance.edit")(roles(*OFFICERS))
rule("governance.pack.build")(roles(*OFFICERS))
# Reading an issued pack is a rule of its own: a pack may carry unpublished figures (the live
# performance report, or a copy uploaded as a paper, which nothing can inspect), so it is for
# the board and the officers who run it, not providers, whatever governance.view allows. The
# download also asks the figures rule (performance.figures.view) and treats it as an export.
rule("governance.pack.read")(roles(Role.BOARD, *OFFICERS))
