import datetime
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

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
        parser.add_argument(
            "--presences-jours",
            type=int,
            help=(
                "Ne donne demi-journées et présences qu'aux cohortes finies depuis au plus "
                "ce nombre de jours, ou en cours (toutes par défaut) : à l'échelle 10, "
                "les 150 millions de présences prendraient plus d'une heure."
            ),
        )

    def handle(self, *args, echelle, presences_jours=None, **options):
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
            sans_controle = _sans_controle_des_cles(echelle)
            depuis = None
            if presences_jours is not None:
                depuis = timezone.localdate() - datetime.timedelta(days=presences_jours)
            compte = generer(echelle, presences_depuis=depuis)
            if sans_controle:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            # COPY writes around the services, which keep the indicators' summary tables.
            call_command("reconstruire_indicateurs", stdout=self.stdout)
        # Outside any transaction, as VACUUM requires (a test's transaction skips it): the
        # visibility map lets the counts of the list pages read indexes only, as
        # autovacuum would in time.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        duree = time.perf_counter() - debut
        self.stdout.write(", ".join(f"{nombre} {nom}" for nom, nombre in compte.items()))
        self.stdout.write(self.style.SUCCESS(f"Données générées en {duree:.1f} s."))


# Above this scale, PostgreSQL's deferred check of every foreign key of every row copied
# (some ten million at scale 10) held the COMMIT for more than half an hour.
ECHELLE_SANS_CONTROLE = 2


def _sans_controle_des_cles(echelle):
    """Past ECHELLE_SANS_CONTROLE, a superuser's COPY skips the foreign keys' triggers
    for this transaction: the generator writes each key from the ids it has just written,
    and the scales the tests run keep every check. True when skipped."""
    if echelle <= ECHELLE_SANS_CONTROLE or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        (superutilisateur,) = cursor.fetchone()
        if superutilisateur:
            cursor.execute("SET LOCAL session_replication_role = replica")
    return superutilisateur
