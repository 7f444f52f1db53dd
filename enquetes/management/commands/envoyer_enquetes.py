from django.core.management.base import BaseCommand

from enquetes.models import ENVOI, RELANCE_1, RELANCE_2
from enquetes.tasks import envoyer_enquetes


class Command(BaseCommand):
    help = "Envoie les enquêtes après la sortie arrivées à échéance et leurs relances."

    def handle(self, *args, **options):
        resume = envoyer_enquetes.call()
        self.stdout.write(
            f"{resume[ENVOI]} enquête(s) envoyée(s), {resume[RELANCE_1]} première(s) relance(s), "
            f"{resume[RELANCE_2]} seconde(s) relance(s) ; {resume['a_appeler']} personne(s) "
            f"à appeler."
        )
