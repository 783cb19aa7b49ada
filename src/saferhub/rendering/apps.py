from django.apps import AppConfig


class RenderingConfig(AppConfig):
    name = "saferhub.rendering"
    label = "rendering"
    verbose_name = "Rendering"
