from django.core.management.base import BaseCommand

from a_faire.tasks import envoyer_syntheses
from portail.liens import url_du_site


class Command(BaseCommand):
    help = "Met en file la synthèse de la semaine de chaque membre de l'équipe (une par semaine)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default="",
            help="Adresse du portail dans les liens (par défaut PORTAIL_URL_DU_SITE)",
        )

    def handle(self, *args, site_url, **options):
        bilan = envoyer_syntheses.call(site_url.rstrip("/") or url_du_site())
        self.stdout.write(
            f"{bilan['envoyees']} synthèse(s) mise(s) en file, "
            f"{bilan['deja_envoyees']} déjà envoyée(s) cette semaine."
        )
