from django.apps import AppConfig


class PresencesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "presences"
    verbose_name = "Présences"
