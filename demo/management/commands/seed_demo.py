from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.seed import COMPTES, DEMO_PASSWORD, seed
from ecoles.models import Ecole


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les comptes de démo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne charge rien si la base contient déjà des écoles.",
        )

    def handle(self, *args, if_empty=False, **options):
        if not settings.PORTAIL_DEMO_AUTORISEE:
            raise CommandError("Les données de démonstration sont interdites avec ces réglages.")
        if if_empty and Ecole.objects.exists():
            self.stdout.write("La base contient déjà des données : rien n'est chargé.")
        else:
            summary = seed(timezone.localdate())
            state = "chargées" if summary.pop("population_created") else "déjà présentes"
            self.stdout.write(self.style.SUCCESS(f"Données de démonstration {state}."))
            self.stdout.write(", ".join(f"{count} {name}" for name, count in summary.items()))
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for username, _, _, role, organisations in COMPTES:
            detail = f" — {', '.join(organisations)}" if organisations else ""
            self.stdout.write(f"  {username:<20} {role.label}{detail}")
