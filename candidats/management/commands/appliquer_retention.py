from django.core.management.base import BaseCommand

from candidats.retention import (
    anonymiser,
    candidats_a_anonymiser,
    date_limite_texte,
    raison,
    resume,
)


class Command(BaseCommand):
    help = (
        "Anonymise les candidats jamais inscrits dont le dernier contact est trop ancien et "
        "les stagiaires dont la formation (sortie, ou fin de cohorte sans sortie enregistrée) "
        "s'est terminée depuis plus longtemps que la durée de conservation. "
        "Simulation par défaut, qui liste les personnes ; --apply pour écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Anonymise réellement (sinon simulation)."
        )

    def handle(self, *args, apply=False, **options):
        candidats = candidats_a_anonymiser()
        self.stdout.write(f"Critères : {date_limite_texte()}.")
        if not apply:
            # Names only in the dry run: the nightly --apply log would keep them.
            for candidat in candidats.order_by("nom", "prenom", "pk").iterator():
                self.stdout.write(f"n° {candidat.pk} — {candidat} : {raison(candidat)}")
        counts = resume(candidats)
        self.stdout.write(
            f"{counts['jamais_inscrits']} candidat(s) jamais inscrit(s) et "
            f"{counts['stagiaires']} ancien(s) stagiaire(s), dont {counts['sans_sortie']} "
            "sans sortie enregistrée, à anonymiser."
        )
        if not apply:
            self.stdout.write(
                "Simulation : rien n'a été modifié (ajoutez --apply pour anonymiser)."
            )
            return
        total = anonymiser(candidats=candidats)
        self.stdout.write(self.style.SUCCESS(f"{total} personne(s) anonymisée(s)."))
