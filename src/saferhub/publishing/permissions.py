"""Who may publish. Imported by ``PublishingConfig.ready``."""

from __future__ import annotations

from saferhub.accounts.models import Role
from saferhub.accounts.permissions import roles, rule

rule("publishing.propose")(roles(Role.ADMIN, Role.ANALYST))
rule("publishing.approve")(roles(Role.ADMIN, Role.COMMISSIONER))
# The proposals page (not the public pages, which need no rule): those who propose or approve.
rule("publishing.view")(roles(Role.ADMIN, Role.ANALYST, Role.COMMISSIONER))
