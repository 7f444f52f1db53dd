from django.apps import AppConfig


class AFaireConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "a_faire"
    verbose_name = "À faire"
