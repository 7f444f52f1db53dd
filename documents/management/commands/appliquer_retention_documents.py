from django.core.management.base import BaseCommand
from django.utils import timezone

from documents.retention import cohortes_a_purger, compter, fin_de_conservation, purger


class Command(BaseCommand):
    help = (
        "Supprime les documents (fichier et ligne) et les présences des cohortes terminées "
        "depuis plus longtemps que la durée de conservation des preuves (6 ans, 10 ans si "
        "cofinancées par le FSE+). Simulation par défaut ; --apply pour supprimer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Supprime réellement (sinon simulation)."
        )

    def handle(self, *args, apply=False, **options):
        cohortes = cohortes_a_purger(timezone.localdate())
        for cohorte in cohortes.iterator():
            self.stdout.write(
                f"{cohorte} : terminée le {cohorte.date_fin:%d/%m/%Y}, preuves conservées "
                f"jusqu'au {fin_de_conservation(cohorte):%d/%m/%Y}."
            )
        comptes = compter(cohortes)
        self.stdout.write(
            f"{comptes['cohortes']} cohorte(s) : {comptes['documents']} document(s), "
            f"{comptes['presences']} présence(s) et {comptes['creneaux']} demi-journée(s) "
            "à supprimer."
        )
        if not apply:
            self.stdout.write(
                "Simulation : rien n'a été supprimé (ajoutez --apply pour supprimer)."
            )
            return
        purger(cohortes=cohortes)
        self.stdout.write(self.style.SUCCESS("Documents et présences supprimés."))
