import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import mesures


class Command(BaseCommand):
    help = (
        "Mesure chaque page (requêtes SQL, médiane et 95e centile du temps serveur) à côté "
        "de la page d'administration du même modèle, et écrit le tableau dans un fichier."
    )

    def add_arguments(self, parser):
        parser.add_argument("--requetes", type=int, default=20, help="Requêtes par page.")
        parser.add_argument(
            "--sortie",
            default=str(settings.BASE_DIR / "docs" / "performance.md"),
            help="Fichier Markdown dont la section mesurée est remplacée.",
        )
        parser.add_argument(
            "--lignes-import",
            type=int,
            default=mesures.LIGNES_IMPORT,
            help="Lignes du fichier importé (annulé ensuite) ; 0 pour ne pas mesurer l'import.",
        )
        parser.add_argument(
            "--sans-memoire",
            action="store_true",
            help="Ne mesure pas la mémoire de l'export (processus séparé, base réelle).",
        )
        parser.add_argument("--export-seul", action="store_true", help="Usage interne.")

    def handle(self, *args, requetes, sortie, lignes_import, sans_memoire, export_seul, **options):
        if not settings.PORTAIL_DEMO_AUTORISEE:
            raise CommandError("Les mesures écrivent des sessions : interdites avec ces réglages.")
        if export_seul:
            resultat = mesures.servir_export_une_fois()
            self.stdout.write(" ".join(f"{nom}={valeur}" for nom, valeur in resultat.items()))
            return
        if requetes < 1:
            raise CommandError("Il faut au moins une requête par page.")
        debut = time.perf_counter()
        try:
            lignes, contexte = mesures.mesurer_pages(requetes)
        except RuntimeError as erreur:
            raise CommandError(str(erreur)) from erreur
        memoire = None if sans_memoire else mesures.memoire_export()
        import_ = mesures.mesurer_import(lignes_import) if lignes_import else None
        section = mesures.tableau(
            lignes,
            contexte,
            requetes,
            memoire,
            import_,
            mesures.machine(),
            mesures.volumes_en_base(),
        )
        mesures.ecrire(sortie, section)
        self.stdout.write(section)
        self.stdout.write(
            self.style.SUCCESS(
                f"Mesures écrites dans {sortie} en {time.perf_counter() - debut:.0f} s."
            )
        )
