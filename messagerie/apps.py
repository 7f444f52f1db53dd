from django.apps import AppConfig


class MessagerieConfig(AppConfig):
    name = "messagerie"
    verbose_name = "Messagerie"

    def ready(self):
        from anymail.signals import tracking

        from . import services

        tracking.connect(services.suivre_la_remise, dispatch_uid="messagerie_suivi_remise")
