from django.core.management.base import BaseCommand

from partenaires.models import CONSERVATION_CONSULTATIONS_JOURS, Consultation


class Command(BaseCommand):
    help = (
        f"Supprime les consultations de pages de cohorte enregistrées il y a plus de "
        f"{CONSERVATION_CONSULTATIONS_JOURS} jours."
    )

    def handle(self, *args, **options):
        supprimees, _ = Consultation.objects.expirees().delete()
        self.stdout.write(
            f"{supprimees} consultation(s) de plus de {CONSERVATION_CONSULTATIONS_JOURS} jours "
            f"supprimée(s)."
        )
