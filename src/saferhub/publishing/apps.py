from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "saferhub.publishing"
    label = "publishing"
    verbose_name = "Publishing"
