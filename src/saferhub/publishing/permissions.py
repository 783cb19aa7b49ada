"""Who may publish. Imported by ``PublishingConfig.ready``."""

from __future__ import annotations

from saferhub.accounts.models import Role
from saferhub.accounts.permissions import all_of, roles, rule
from saferhub.performance.permissions import FIGURES

rule("publishing.propose")(roles(Role.ADMIN, Role.ANALYST))
rule("publishing.approve")(roles(Role.ADMIN, Role.COMMISSIONER))
# The proposals page (not the public pages, which need no rule): those who propose or approve.
# A proposal's preview shows figures not yet published, so the one figures rule applies too.
rule("publishing.view")(all_of(roles(Role.ADMIN, Role.ANALYST, Role.COMMISSIONER), FIGURES))
