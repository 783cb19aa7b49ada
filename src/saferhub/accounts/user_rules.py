"""Who may manage other people's accounts: admins only (deny by default for everyone else)."""

from __future__ import annotations

from .models import Role
from .permissions import roles, rule

rule("accounts.users.manage")(roles(Role.ADMIN))
