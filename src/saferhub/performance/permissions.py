"""Who may do what with performance figures and reports (see saferhub.accounts.permissions).

"May see unpublished performance figures" is ONE rule, ``performance.figures.view``
(``unpublished_figures``): every route that returns figures not yet published (the dashboard,
the indicator and report pages, every download, board packs, the publishing preview, the API)
asks it by that name, so that changing it here changes every route at once
(tests/security/test_figures_routes.py). The older names below are the same function, for the
navigation and older callers; they are not separate rules.
"""

from __future__ import annotations

from typing import Any

from saferhub.accounts.models import Role
from saferhub.accounts.permissions import Decision, role_of, roles, rule

FIGURES = "performance.figures.view"

# Every signed-in role but providers, who are charities delivering a project and see only their
# own organisation's commissioning work (and the published, disclosure-controlled figures).
READERS = (Role.ADMIN, Role.ANALYST, Role.COMMISSIONER, Role.BOARD)


@rule(FIGURES)
def unpublished_figures(user: Any, obj: Any) -> Decision:
    """May this user see unpublished (unsuppressed) performance figures?"""
    r = role_of(user)
    if r in READERS:
        return True, ""
    return False, f"the {r or 'public'} role may not see unpublished performance figures"


# Aliases: the same function under the names the navigation and the API used before.
for _alias in ("performance.view", "reports.view"):
    rule(_alias)(unpublished_figures)

# Changing them: the people who own the figures.
rule("performance.import")(roles(Role.ADMIN, Role.ANALYST))
rule("performance.edit")(roles(Role.ADMIN, Role.ANALYST))
