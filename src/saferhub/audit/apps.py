from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "saferhub.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from . import permissions, signals  # noqa: F401  (registers the rules and the login receivers)
