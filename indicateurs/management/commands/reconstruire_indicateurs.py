from django.core.management.base import BaseCommand
from django.db import transaction

from indicateurs.agregats import reconstruire
from parcours.echeances import reconstruire_manquants
from presences.services import reconstruire_absences


class Command(BaseCommand):
    help = (
        "Recompte les agrégats des indicateurs depuis les inscriptions, sorties et candidats, "
        "les suivis manquants, les sorties attendues et les stages sans entreprise depuis les "
        "inscriptions, les suivis, les sorties et les stages, et les absences "
        "non justifiées de chaque mois depuis les présences (après un chargement qui ne passe "
        "pas par l'application)."
    )

    def handle(self, *args, **options):
        # All or nothing: the page never reads a half-rebuilt table.
        with transaction.atomic():
            lignes = reconstruire()
            manquants = reconstruire_manquants()
            absences = reconstruire_absences()
        self.stdout.write(
            self.style.SUCCESS(
                f"Indicateurs reconstruits : {lignes['cohortes']} lignes de cohortes, "
                f"{lignes['candidats']} lignes de candidats, "
                f"{lignes['parcours']} parcours de candidats, "
                f"{manquants['suivis']} suivis manquants, {manquants['sorties']} sorties "
                f"attendues, {manquants['stages']} stages sans entreprise, "
                f"{absences} mois d'absences non justifiées."
            )
        )
