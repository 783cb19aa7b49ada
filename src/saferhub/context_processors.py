"""Template context shared by every page."""

from __future__ import annotations

# (key, label, address); the pages a role may not use answer 403, so the menu shows only what
# the visitor's role can open (see saferhub.accounts.permissions).
SERVICE_NAV = [
    ("dashboard", "Dashboard", "/dashboard/", "performance.view"),
    ("data", "Data", "/data/", "performance.import"),
    ("commissioning", "Commissioning", "/commissioning/", "commissioning.view"),
    ("governance", "Governance", "/governance/", "governance.view"),
    ("reports", "Reports", "/reports/", "reports.view"),
    ("publishing", "Publishing", "/publishing/", "publishing.view"),
    ("audit", "Audit", "/audit/", "audit.view"),
]


def service_nav(request):
    from saferhub.accounts.permissions import RULES, has_permission

    user = getattr(request, "user", None)
    items = []
    for key, label, href, action in SERVICE_NAV:
        # Until a part registers its rule, its menu item shows to every logged-in user.
        if action not in RULES and getattr(user, "is_authenticated", False) or has_permission(action, user):
            items.append((key, label, href))
    if not getattr(user, "is_authenticated", False):
        items = [("public", "Published figures", "/public/")]
    return {"service_nav": items}
