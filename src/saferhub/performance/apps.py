from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "saferhub.performance"
    label = "performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
