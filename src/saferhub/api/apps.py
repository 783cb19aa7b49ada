from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "saferhub.api"
    label = "api"
    verbose_name = "JSON API"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the api.* rules)
