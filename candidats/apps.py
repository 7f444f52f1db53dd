from django.apps import AppConfig


class CandidatsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "candidats"
    verbose_name = "Candidats"
