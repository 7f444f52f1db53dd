from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out


class EchangesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "echanges"
    verbose_name = "Imports et exports"

    def ready(self):
        from . import services

        user_logged_out.connect(services.abandonner_a_la_deconnexion, dispatch_uid="echanges.depot")
