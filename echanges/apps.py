from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out

from . import depot


class EchangesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "echanges"

    def ready(self):
        user_logged_out.connect(depot.oublier_a_la_deconnexion, dispatch_uid="echanges.depot")
