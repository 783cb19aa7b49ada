from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: its command (`saferhub demo`) and the data it loads. No models of its own."""

    name = "saferhub.demo"
    label = "demo"
    verbose_name = "Demo"
