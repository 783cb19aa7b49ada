from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "saferhub.security"
    label = "security"
    verbose_name = "Security and operations (backup, restore, retention)"
