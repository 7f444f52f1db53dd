from django.apps import AppConfig
from django.core import checks


class EnquetesConfig(AppConfig):
    name = "enquetes"
    verbose_name = "Enquêtes après la sortie"

    def ready(self):
        checks.register(verifier_les_vagues)


def verifier_les_vagues(app_configs=None, **kwargs):
    """`PORTAIL_ENQUETES_VAGUES_MOIS` names the waves the funders ask for, no others."""
    from django.conf import settings

    from .models import VAGUES_POSSIBLES

    inconnues = set(settings.PORTAIL_ENQUETES_VAGUES_MOIS) - set(VAGUES_POSSIBLES)
    if inconnues:
        return [
            checks.Error(
                f"PORTAIL_ENQUETES_VAGUES_MOIS : vagues inconnues {sorted(inconnues)} ; "
                f"possibles : {', '.join(map(str, VAGUES_POSSIBLES))}.",
                id="enquetes.E001",
            )
        ]
    return []
