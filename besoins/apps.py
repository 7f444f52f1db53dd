from django.apps import AppConfig


class BesoinsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "besoins"
    verbose_name = "Besoins de recrutement"
