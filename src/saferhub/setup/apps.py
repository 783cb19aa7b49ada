from django.apps import AppConfig


class SetupConfig(AppConfig):
    """The set-up pages, the set-up workbook and its command. No models of its own."""

    name = "saferhub.setup"
    label = "setup"
    verbose_name = "Set-up"
