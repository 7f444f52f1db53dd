"""Spreadsheet exports: CSV for French Excel and XLSX, with bounded memory.

The same writers fill a response (a cohort, the import template: small) or a file that a
task keeps in the `exports` storage (the candidates and exits, which grow: `tasks.exporter`).

An export is a list of `Colonne` (French header and how to format its value) and an
iterable of tuples, usually `values_list(...).iterator()`: one query, no per-row work
in the database.

A CSV cell is only text, which a spreadsheet may run as a formula: it gets a leading
quote. An XLSX cell has a type: text is written as a text cell, shown as typed and
never run, so it needs no quote.
"""

import csv
import datetime
import io
import tempfile
from dataclasses import dataclass

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from candidats.models import CanalSourcing, Candidat
from ecoles.models import Filiere
from parcours.models import Categorie, Inscription, Situation, Sortie, Stage

CHUNK_SIZE = 2000
FORMATS = ("csv", "xlsx")
DATE_FORMAT = "%d/%m/%Y"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Colonne:
    titre: str
    largeur: int = 16
    libelles: dict | None = None  # choice value → French label

    @property
    def largeur_xlsx(self):
        """Wide enough for the whole header and the button of its filter."""
        return max(self.largeur, len(self.titre) + 4)

    def valeur(self, value):
        if self.libelles is not None and value is not None:
            return self.libelles.get(value, value)
        return value


def neutraliser(value):
    """A CSV cell a spreadsheet cannot run: a leading formula character gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def nom_de_fichier(*parts, extension):
    """`candidats-2025-06-30.csv`: what, then the day of the export."""
    slug = "-".join(slugify(part) for part in parts if part)
    return f"{slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


def export_response(format, *, colonnes, lignes, nom):
    """The attachment in `format` (csv or xlsx); any other format is a 404.

    `lignes` is consumed only after this check, while the response is written.
    """
    if format not in FORMATS:
        raise Http404("Format d'export inconnu : choisissez csv ou xlsx.")
    if format == "csv":
        return csv_response(colonnes, lignes, nom_de_fichier(*nom, extension="csv"))
    return xlsx_response(colonnes, lignes, nom_de_fichier(*nom, extension="xlsx"))


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def _cellule_csv(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    return neutraliser(str(value))


def _lignes_csv(colonnes, lignes):
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    # The byte order mark tells Excel the file is UTF-8, or accents come out garbled.
    yield "\ufeff" + writer.writerow([colonne.titre for colonne in colonnes])
    for ligne in lignes:
        yield writer.writerow(
            [
                _cellule_csv(colonne.valeur(value))
                for colonne, value in zip(colonnes, ligne, strict=True)
            ]
        )


def ecrire_csv(fichier, colonnes, lignes):
    """Write the CSV of `lignes` into the binary `fichier`."""
    for ligne in _lignes_csv(colonnes, lignes):
        fichier.write(ligne.encode("utf-8"))


def csv_response(colonnes, lignes, filename):
    response = StreamingHttpResponse(
        _lignes_csv(colonnes, lignes), content_type=CONTENT_TYPES["csv"]
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _cellule_xlsx(feuille, value):
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(feuille, value=value)
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    if isinstance(value, str):
        # The XML of a workbook cannot hold most control characters: openpyxl would refuse.
        cell = WriteOnlyCell(feuille, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        # openpyxl takes a text starting with "=" for a formula: it is data here.
        cell.data_type = "s"
        return cell
    return value


def ecrire_xlsx(fichier, colonnes, lignes):
    """A write-only workbook saved into `fichier`: memory stays flat however many rows.

    The header row stays in view when scrolling and carries the filter buttons.
    """
    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet("Export")
    feuille.freeze_panes = "A2"
    for index, colonne in enumerate(colonnes, start=1):
        feuille.column_dimensions[get_column_letter(index)].width = colonne.largeur_xlsx
    gras = Font(bold=True)
    entetes = []
    for colonne in colonnes:
        cell = WriteOnlyCell(feuille, value=colonne.titre)
        cell.font = gras
        entetes.append(cell)
    feuille.append(entetes)
    nombre_de_lignes = 1
    for ligne in lignes:
        feuille.append(
            [
                _cellule_xlsx(feuille, colonne.valeur(value))
                for colonne, value in zip(colonnes, ligne, strict=True)
            ]
        )
        nombre_de_lignes += 1
    # Written when the sheet is closed, once its last row is known.
    feuille.auto_filter.ref = f"A1:{get_column_letter(len(colonnes))}{nombre_de_lignes}"
    classeur.save(fichier)


def xlsx_response(colonnes, lignes, filename):
    # FileResponse closes the file once sent, and the system deletes it then.
    fichier = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    ecrire_xlsx(fichier, colonnes, lignes)
    fichier.seek(0)
    return FileResponse(
        fichier, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["xlsx"]
    )


ECRIVAINS = {"csv": ecrire_csv, "xlsx": ecrire_xlsx}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def lignes_du_fichier(format, fichier):
    """How many data rows (header aside) a spreadsheet opening `fichier` would show.

    The file is read back as its user's software would: a file cut short fails to open
    (XLSX) or has fewer rows (CSV).
    """
    if format == "csv":
        texte = io.TextIOWrapper(fichier, encoding="utf-8-sig", newline="")
        lignes = csv.reader(texte, delimiter=";")
    else:
        lignes = load_workbook(fichier, read_only=True).active.iter_rows(values_only=True)
    if next(lignes, None) is None:
        return None
    return sum(1 for _ in lignes)


def _ecole(nom, ville):
    return f"{nom} — {ville}" if nom else ""


COLONNES_CANDIDATS = [
    Colonne("Nom", 20),
    Colonne("Prénom", 18),
    Colonne("Date de naissance", 14),
    Colonne("Courriel", 30),
    Colonne("Téléphone", 16),
    Colonne("Commune", 20),
    Colonne("Code postal", 10),
    Colonne("Identifiant France Travail", 16),
    Colonne("Canal de sourcing", 22, dict(CanalSourcing.choices)),
    Colonne("École visée", 36),
    Colonne("Statut", 16, dict(Candidat.Statut.choices)),
    Colonne("Date du consentement", 14),
    Colonne("Date du dernier contact", 14),
    Colonne("Ajouté le", 12),
]


def lignes_candidats(candidats):
    """One row per candidate of `candidats`; staff notes stay out of exported files."""
    rows = candidats.values_list(
        "nom",
        "prenom",
        "date_naissance",
        "email",
        "telephone",
        "commune",
        "code_postal",
        "identifiant_france_travail",
        "canal",
        "ecole_visee__nom",
        "ecole_visee__ville",
        "statut",
        "date_consentement",
        "date_dernier_contact",
        "cree_le",
    )
    for *identite, ecole_nom, ecole_ville, statut, consentement, contact, cree_le in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield (*identite, _ecole(ecole_nom, ecole_ville), statut, consentement, contact, cree_le)


COLONNES_COHORTE = [
    Colonne("Nom", 20),
    Colonne("Prénom", 18),
    Colonne("Courriel", 30),
    Colonne("Téléphone", 16),
    Colonne("Date d'entrée", 14),
    Colonne("Statut", 14, dict(Inscription.Statut.choices)),
    Colonne("Entreprises d'accueil", 30),
    Colonne("Date de sortie", 14),
    Colonne("Situation à la sortie", 30, dict(Situation.choices)),
    Colonne("Catégorie de sortie", 22, dict(Categorie.choices)),
]


def lignes_cohorte(inscriptions):
    """One row per trainee of `inscriptions`, with the host companies of their internships."""
    entreprises = {}
    stages = (
        Stage.objects.filter(inscription__in=inscriptions.values("pk"))
        .order_by("phase__date_debut", "phase__ordre")
        .values_list("inscription_id", "entreprise__nom")
    )
    for inscription_id, entreprise in stages:
        noms = entreprises.setdefault(inscription_id, [])
        if entreprise not in noms:
            noms.append(entreprise)
    rows = inscriptions.order_by("candidat__nom", "candidat__prenom", "pk").values_list(
        "pk",
        "candidat__nom",
        "candidat__prenom",
        "candidat__email",
        "candidat__telephone",
        "date_entree",
        "statut",
        "sortie__date_sortie",
        "sortie__situation",
        "sortie__categorie",
    )
    for pk, *debut, statut, date_sortie, situation, categorie in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        hotes = ", ".join(entreprises.get(pk, []))
        yield (*debut, statut, hotes, date_sortie, situation, categorie)


COLONNES_SORTIES = [
    Colonne("École", 36),
    Colonne("Filière", 22, dict(Filiere.choices)),
    Colonne("Cohorte", 24),
    Colonne("Nom", 20),
    Colonne("Prénom", 18),
    Colonne("Date d'entrée", 14),
    Colonne("Date de sortie", 14),
    Colonne("Motif de sortie", 24, dict(Sortie.Motif.choices)),
    Colonne("Situation à la sortie", 30, dict(Situation.choices)),
    Colonne("Catégorie de sortie", 22, dict(Categorie.choices)),
    Colonne("Employeur", 26),
    Colonne("Début du contrat", 14),
    Colonne("Fin du contrat", 14),
]


def lignes_sorties(sorties):
    """One row per exit, in the order of the funders' report: school, cohort, name.

    The type of contract is the situation at exit (CDI, CDD, intérim…); its dates decide
    whether a CDD or an interim counts as durable employment (`categorie_de_sortie`).
    """
    rows = sorties.order_by(
        "inscription__cohorte__parcours__ecole__ville",
        "inscription__cohorte__parcours__ecole__nom",
        "inscription__cohorte__date_debut",
        "inscription__cohorte__nom",
        "inscription__candidat__nom",
        "inscription__candidat__prenom",
        "pk",
    ).values_list(
        "inscription__cohorte__parcours__ecole__nom",
        "inscription__cohorte__parcours__ecole__ville",
        "inscription__cohorte__parcours__filiere",
        "inscription__cohorte__nom",
        "inscription__candidat__nom",
        "inscription__candidat__prenom",
        "inscription__date_entree",
        "date_sortie",
        "motif",
        "situation",
        "categorie",
        "employeur",
        "entreprise_utilisatrice__nom",
        "date_debut_contrat",
        "date_fin_contrat",
    )
    for ecole_nom, ecole_ville, *milieu, employeur, entreprise, debut, fin in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        yield (_ecole(ecole_nom, ecole_ville), *milieu, employeur or entreprise or "", debut, fin)
