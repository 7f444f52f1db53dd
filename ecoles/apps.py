from django.apps import AppConfig


class EcolesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ecoles"
    verbose_name = "Écoles"
