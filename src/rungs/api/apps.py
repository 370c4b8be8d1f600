from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "rungs.api"
    verbose_name = "API"
