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
    ("setup", "Set up", "/setup/", "partnerships.setup"),
    ("public", "Published figures", "/public/", None),  # public pages: every signed-in user too
]


def service_nav(request):
    from saferhub.accounts.permissions import has_permission

    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"service_nav": [("public", "Published figures", "/public/")]}
    # Deny by default, as everywhere: an item shows only when a rule allows its page.
    return {
        "service_nav": [
            (key, label, href)
            for key, label, href, action in SERVICE_NAV
            if action is None or has_permission(action, user)
        ]
    }
