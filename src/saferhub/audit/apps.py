from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "saferhub.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        # Sign-ins, failures and sign-outs are audited by the sign-in views (saferhub.accounts).
        from . import permissions  # noqa: F401  (registers the rules)
