from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "saferhub.commissioning"
    label = "commissioning"
    verbose_name = "Commissioning"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's permission rules)
