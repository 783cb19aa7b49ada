from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "saferhub.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
