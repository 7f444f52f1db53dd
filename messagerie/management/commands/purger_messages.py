from django.conf import settings
from django.core.management.base import BaseCommand

from messagerie import retention


class Command(BaseCommand):
    help = (
        "Supprime les messages de la boîte d'envoi écrits il y a plus de "
        "PORTAIL_RETENTION_MESSAGES_JOURS jours et les liens d'enquête expirés depuis aussi "
        "longtemps."
    )

    def handle(self, *args, **options):
        supprimes = retention.purger()
        self.stdout.write(
            f"{supprimes['messages']} message(s) et {supprimes['jetons']} lien(s) d'enquête "
            f"de plus de {settings.PORTAIL_RETENTION_MESSAGES_JOURS} jours supprimé(s)."
        )
