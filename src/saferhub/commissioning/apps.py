from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "saferhub.commissioning"
    label = "commissioning"
    verbose_name = "Commissioning"
