from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "saferhub.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"
