import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import mesures
from candidats.models import Candidat


class Command(BaseCommand):
    help = (
        "Mesure chaque page (requêtes SQL, médiane, 95e centile et maximum du temps serveur, "
        "taille de la réponse) à côté de la page d'administration du même modèle, garde les "
        "chiffres de l'échelle de la base et écrit leur tableau, et la comparaison avec "
        "l'échelle de référence, dans un fichier."
    )

    def add_arguments(self, parser):
        parser.add_argument("--requetes", type=int, default=20, help="Requêtes par page.")
        parser.add_argument(
            "--sortie",
            default=str(settings.BASE_DIR / "docs" / "performance.md"),
            help="Fichier Markdown dont les sections mesurées sont remplacées.",
        )
        parser.add_argument(
            "--resultats",
            default=str(settings.BASE_DIR / "bench" / "resultats"),
            help="Dossier des chiffres de chaque échelle (echelle-<échelle>.json).",
        )
        parser.add_argument(
            "--echelle",
            type=float,
            help="Échelle attendue de la base : refuse de mesurer une base d'une autre échelle.",
        )
        parser.add_argument(
            "--reference",
            type=float,
            default=1.0,
            help="Échelle dont les chiffres gardés sont comparés à ceux de cette mesure.",
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
        parser.add_argument(
            "--sans-exports",
            action="store_true",
            help="Ne mesure pas les exports complets (une tâche par export et par format).",
        )
        parser.add_argument("--export-seul", action="store_true", help="Usage interne.")

    def handle(
        self,
        *args,
        requetes,
        sortie,
        resultats,
        echelle,
        reference,
        lignes_import,
        sans_memoire,
        sans_exports,
        export_seul,
        **options,
    ):
        if not settings.PORTAIL_DEMO_AUTORISEE:
            raise CommandError("Les mesures écrivent des sessions : interdites avec ces réglages.")
        if export_seul:
            resultat = mesures.servir_export_une_fois()
            self.stdout.write(" ".join(f"{nom}={valeur}" for nom, valeur in resultat.items()))
            return
        if requetes < 1:
            raise CommandError("Il faut au moins une requête par page.")
        # Checked before measuring: a DATABASE_URL left on another base would otherwise
        # cost a whole run and file its figures under that base's scale.
        candidats = Candidat.objects.count()
        en_base = mesures.echelle_de(candidats)
        if echelle is not None and en_base != echelle:
            raise CommandError(
                f"La base contient {mesures.nombre(candidats)} candidats, soit l'échelle "
                f"{mesures.libelle_echelle(en_base)}, et non {mesures.libelle_echelle(echelle)} : "
                f"DATABASE_URL désigne-t-elle la base de cette échelle ?"
            )
        debut = time.perf_counter()
        try:
            lignes, contexte = mesures.mesurer_pages(requetes)
        except RuntimeError as erreur:
            raise CommandError(str(erreur)) from erreur
        memoire = None if sans_memoire else mesures.memoire_export()
        import_ = mesures.mesurer_import(lignes_import) if lignes_import else None
        exports = None if sans_exports else mesures.mesurer_exports()
        donnees = mesures.resultats(
            lignes,
            contexte,
            requetes,
            memoire,
            import_,
            mesures.machine(),
            mesures.volumes_en_base(),
            exports,
        )
        chemin = mesures.enregistrer(resultats, donnees)
        section = mesures.tableau(donnees)
        mesures.ecrire(sortie, section, f"echelle-{mesures.libelle_echelle(donnees['echelle'])}")
        self.stdout.write(section)
        if donnees["echelle"] != reference:
            de_reference = mesures.charger(resultats, reference)
            if de_reference is None:
                self.stdout.write(
                    self.style.WARNING(
                        f"Aucun chiffre gardé à l'échelle {mesures.libelle_echelle(reference)} "
                        f"dans {resultats} : mesurez d'abord la base de cette échelle pour "
                        f"avoir la comparaison."
                    )
                )
            else:
                section = mesures.comparaison(
                    *sorted([de_reference, donnees], key=lambda chiffres: chiffres["echelle"])
                )
                mesures.ecrire(sortie, section, "comparaison")
                self.stdout.write(section)
        self.stdout.write(
            self.style.SUCCESS(
                f"Mesures écrites dans {sortie} et {chemin} en {time.perf_counter() - debut:.0f} s."
            )
        )
