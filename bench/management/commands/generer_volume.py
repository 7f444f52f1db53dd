import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bench.volume import generer, volumes
from candidats.models import Candidat


class Command(BaseCommand):
    help = (
        "Remplit la base à l'échelle de la région sur dix ans (100 000 candidats, 3 000 "
        "cohortes, 60 000 inscriptions, 500 000 suivis) pour mesurer les pages."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--echelle",
            type=float,
            default=1.0,
            help="Fraction des volumes cibles (1 = échelle du projet, 0.01 pour la CI).",
        )

    def handle(self, *args, echelle, **options):
        if not settings.PORTAIL_DEMO_AUTORISEE:
            raise CommandError("Les données générées sont interdites avec ces réglages.")
        if echelle <= 0:
            raise CommandError("L'échelle doit être positive.")
        # Generated rows go next to nothing but reference data and accounts: a second
        # run would double the volumes.
        if Candidat.objects.exists():
            self.stdout.write("La base contient déjà des candidats : rien n'est généré.")
            return
        self.stdout.write(
            "Volumes visés : " + ", ".join(f"{n} {nom}" for nom, n in volumes(echelle).items())
        )
        debut = time.perf_counter()
        with transaction.atomic():
            compte = generer(echelle)
        # Outside any transaction, as VACUUM requires (a test's transaction skips it): the
        # visibility map lets the counts of the list pages read indexes only, as
        # autovacuum would in time.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        duree = time.perf_counter() - debut
        self.stdout.write(", ".join(f"{nombre} {nom}" for nom, nombre in compte.items()))
        self.stdout.write(self.style.SUCCESS(f"Données générées en {duree:.1f} s."))
