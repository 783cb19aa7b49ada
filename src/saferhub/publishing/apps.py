from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "saferhub.publishing"
    label = "publishing"
    verbose_name = "Publishing"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the publishing.* rules)
