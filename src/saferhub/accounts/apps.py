from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "saferhub.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from . import (
            signals,  # noqa: F401
            user_rules,  # noqa: F401
        )


class DoorAdminConfig(admin_apps.AdminConfig):
    """Django's admin with ``DoorAdminSite`` as its site (``admin.site``): no sign-in of its own."""

    default = False  # named in INSTALLED_APPS; AccountsConfig stays this app's own
    default_site = "saferhub.accounts.admin_site.DoorAdminSite"
