from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "saferhub.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from . import papers, permissions  # noqa: F401  (registers rules and live papers)
