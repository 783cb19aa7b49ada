from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "saferhub.jobs"
    label = "jobs"
    verbose_name = "Jobs (long work run by the worker)"
