from django.conf import settings
from django.core.management.base import BaseCommand

from echanges import services


class Command(BaseCommand):
    help = (
        "Supprime les fichiers d'import déposés et jamais confirmés, et les analyses "
        "d'import, de plus de PORTAIL_IMPORTS_DUREE_HEURES heures ; les exports expirés "
        "(PORTAIL_EXPORTS_DUREE_HEURES), leurs fichiers compris."
    )

    def handle(self, *args, **options):
        fichiers, analyses = services.purger_imports()
        heures = settings.PORTAIL_IMPORTS_DUREE_HEURES
        self.stdout.write(
            f"{fichiers} fichier(s) d'import en attente depuis plus de {heures} heures supprimé(s)."
        )
        self.stdout.write(
            f"{analyses} analyse(s) d'import de plus de {heures} heures supprimée(s)."
        )
        exports = services.purger_exports()
        self.stdout.write(f"{exports} export(s) expiré(s) supprimé(s), avec leur fichier.")
