from django.conf import settings
from django.core.management.base import BaseCommand

from echanges import depot


class Command(BaseCommand):
    help = (
        "Supprime les fichiers d'import déposés et jamais confirmés depuis plus de "
        "PORTAIL_IMPORTS_DUREE_HEURES heures."
    )

    def handle(self, *args, **options):
        supprimes = depot.purger()
        self.stdout.write(
            f"{supprimes} fichier(s) d'import en attente depuis plus de "
            f"{settings.PORTAIL_IMPORTS_DUREE_HEURES} heures supprimé(s)."
        )
