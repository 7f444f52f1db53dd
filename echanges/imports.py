"""Reading and checking a list of candidates (France Travail export, CSV or XLSX).

`analyser` never writes: it returns every row with its errors, so that the page can
list them all; the import itself is `services.importer_candidats`.
"""

import contextlib
import csv
import datetime
import io
import itertools
import re
import zipfile
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from candidats.doublons import (
    EMAIL,
    IDENTIFIANT,
    MOTIFS,
    NOMS,
    doublons_existants,
    doublons_internes,
)
from candidats.models import CanalSourcing, Candidat
from candidats.text import normalize_for_search
from candidats.validators import validate_code_postal
from ecoles.models import Ecole
from portail.francais import pluriel

# The bound of the other lists read with these functions (an event's attendance); a list
# of candidates has its own, PORTAIL_IMPORT_LIGNES_MAX.
LIGNES_MAX = 20_000
# A list of candidates has about ten columns. Without a bound, one cell in Excel's last
# column would widen every row openpyxl yields to 16,384 cells.
COLONNES_LUES = 100
# Excel's last row. openpyxl yields an empty row for each number skipped, so a forged
# row numbered in the billions would otherwise keep it busy for hours.
DERNIERE_LIGNE_EXCEL = 1_048_576
MO = 1024 * 1024
# Rows shown in the preview besides those with an error; every error is listed anyway.
APERCU_LIGNES = 500
DOUBLONS_PAR_LIGNE = 3
# The column an error about a shared sign points at.
COLONNES_DES_DOUBLONS = {
    IDENTIFIANT: "identifiant France Travail",
    EMAIL: "courriel",
    NOMS: "nom, prénom, date de naissance",
}

ZIP = b"PK\x03\x04"
SIGNATURES = {
    b"%PDF": "un document PDF",
    b"\x89PNG": "une image PNG",
    b"\xff\xd8\xff": "une image JPEG",
    b"GIF8": "une image GIF",
    b"\xd0\xcf\x11\xe0": "un classeur Excel de l'ancien format (.xls)",
}
UTF16 = (b"\xff\xfe", b"\xfe\xff")
SEPARATEURS = (";", ",", "\t")
# Each format with the shape that tells a day that does not exist (31/02) from a typo.
FORMATS_DE_DATE = {
    "%d/%m/%Y": re.compile(r"\d{1,2}/\d{1,2}/\d{4}"),
    "%Y-%m-%d": re.compile(r"\d{4}-\d{1,2}-\d{1,2}"),
    "%d-%m-%Y": re.compile(r"\d{1,2}-\d{1,2}-\d{4}"),
    "%d.%m.%Y": re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}"),
}
CANAUX = {
    **{normalize_for_search(code): code for code in CanalSourcing.values},
    **{normalize_for_search(label): code for code, label in CanalSourcing.choices},
}


@dataclass(frozen=True)
class Colonne:
    champ: str
    titre: str
    alias: frozenset
    requise: bool = False


COLONNES = [
    Colonne("nom", "nom", frozenset({"nom", "nom de famille", "nom de naissance"}), requise=True),
    Colonne("prenom", "prénom", frozenset({"prenom", "prenoms"}), requise=True),
    Colonne(
        "date_naissance",
        "date de naissance",
        frozenset({"date de naissance", "date naissance", "naissance", "ne le", "nee le"}),
    ),
    # "Courriel" in what the portal writes; what lists from elsewhere call it is read too.
    Colonne(
        "email",
        "courriel",
        frozenset(
            {
                "courriel",
                "adresse de courriel",
                "email",
                "e mail",
                "mail",
                "adresse e mail",
                "adresse email",
                "adresse mail",
            }
        ),
    ),
    Colonne("telephone", "téléphone", frozenset({"telephone", "tel", "portable", "mobile"})),
    Colonne("commune", "commune", frozenset({"commune", "ville"})),
    Colonne("code_postal", "code postal", frozenset({"code postal", "cp"})),
    Colonne(
        "identifiant_france_travail",
        "identifiant France Travail",
        frozenset(
            {
                "identifiant france travail",
                "id france travail",
                "identifiant ft",
                "numero france travail",
                "n france travail",
                "identifiant",
            }
        ),
    ),
    Colonne("canal", "canal", frozenset({"canal", "canal de sourcing"})),
    Colonne(
        "ecole_visee_id",
        "école visée",
        frozenset({"ecole visee", "ecole", "ecole souhaitee", "ecole demandee"}),
    ),
]


class FichierRefuse(Exception):
    """The file as a whole cannot be read: nothing in it is looked at further."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class AnalyseTropLongue(FichierRefuse):
    """The task's time limit passed: the analysis stopped between two rows."""


@dataclass
class Erreur:
    numero: int
    colonne: str
    message: str
    candidat_id: int | None = None


@dataclass
class Ligne:
    numero: int
    cellules: list
    candidat: object = None
    erreurs: list = field(default_factory=list)
    # The values that passed validation, compared to find duplicates.
    identite: dict = field(default_factory=dict)


@dataclass
class Analyse:
    lignes: list
    colonnes: list
    colonnes_ignorees: list

    @property
    def erreurs(self):
        return [erreur for ligne in self.lignes for erreur in ligne.erreurs]

    @property
    def lignes_en_erreur(self):
        return sum(1 for ligne in self.lignes if ligne.erreurs)

    @property
    def valide(self):
        return bool(self.lignes) and not self.lignes_en_erreur

    @property
    def candidats(self):
        return [ligne.candidat for ligne in self.lignes]

    @property
    def lignes_apercu(self):
        return [
            ligne
            for index, ligne in enumerate(self.lignes)
            if index < APERCU_LIGNES or ligne.erreurs
        ]

    @property
    def lignes_masquees(self):
        return len(self.lignes) - len(self.lignes_apercu)


def normaliser_entete(text):
    """A header without case, accents or punctuation: DATE_DE_NAISSANCE is date de naissance."""
    return re.sub(r"[^a-z0-9]+", " ", normalize_for_search(str(text or ""))).strip()


# Reading the file -----------------------------------------------------------------


def lire_tableau(contenu):
    """The rows of a CSV or XLSX file as sequences of cells, the header first.

    The file is checked as a whole here; its rows come from a generator, parsed as they
    are asked for, so a caller that stops early leaves the rest unread.
    """
    if not contenu.strip():
        raise FichierRefuse("Le fichier est vide.")
    if contenu.startswith(ZIP):
        _verifier_archive(contenu)
        return _lire_xlsx(contenu)
    for signature, nature in SIGNATURES.items():
        if contenu.startswith(signature):
            raise FichierRefuse(
                f"Ce fichier est {nature}, pas un tableau : déposez un fichier CSV "
                "(UTF-8 ou Windows) ou un classeur Excel .xlsx."
            )
    return _lire_csv(_decoder(contenu))


def _verifier_archive(contenu):
    """Refuse, before any parsing, a damaged workbook or one too big once unpacked.

    The sizes come from the zip directory. zipfile never inflates an entry beyond the
    size declared there (a lie ends in a CRC error), so their sum bounds what openpyxl
    can read, however well the file compresses.
    """
    # zipfile raises more than BadZipFile on a damaged directory (NotImplementedError for
    # a version field gone wrong, ValueError, OSError...): all mean a damaged file.
    try:
        with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
            taille = sum(info.file_size for info in archive.infolist())
            textes = sum(
                info.file_size
                for info in archive.infolist()
                if info.filename.lower().endswith("sharedstrings.xml")
            )
    except Exception as error:
        raise FichierRefuse(
            "Ce classeur Excel est endommagé (archive .xlsx illisible ou incomplète) : "
            "ouvrez-le et enregistrez-le à nouveau en .xlsx, ou en CSV."
        ) from error
    # openpyxl reads the shared strings whole, even in read-only mode (about a second per
    # megabyte): their part has its own, smaller bound.
    limite_textes = settings.PORTAIL_IMPORT_XLSX_TEXTES_MAX_OCTETS
    if textes > limite_textes:
        raise FichierRefuse(
            f"Les textes de ce classeur occupent {textes / MO:.0f} Mo une fois décompressés : "
            f"la limite est de {limite_textes / MO:.0f} Mo. Enregistrez-le en CSV ou "
            "découpez-le en plusieurs fichiers."
        )
    limite = settings.PORTAIL_IMPORT_XLSX_MAX_OCTETS
    if taille > limite:
        raise FichierRefuse(
            f"Ce classeur occupe {taille / MO:.0f} Mo une fois décompressé : la limite est "
            f"de {limite / MO:.0f} Mo. Enregistrez-le en CSV ou découpez-le en plusieurs "
            "fichiers."
        )


def _lire_xlsx(contenu):
    # Anything openpyxl raises on a damaged workbook, whenever it reads it, is a refusal.
    try:
        classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
        try:
            yield from classeur.active.iter_rows(
                max_col=COLONNES_LUES, max_row=DERNIERE_LIGNE_EXCEL, values_only=True
            )
        finally:
            classeur.close()
    except Exception as error:
        raise FichierRefuse(
            "Ce fichier n'est pas un classeur Excel .xlsx lisible (les formats .ods, .xls "
            "ou .zip ne sont pas pris en charge) : enregistrez-le en .xlsx ou en CSV."
        ) from error


def _decoder(contenu):
    refus = FichierRefuse(
        "Ce fichier n'est pas un tableau CSV lisible (fichier binaire ou encodage non pris en "
        "charge) : enregistrez-le en CSV UTF-8 ou en classeur Excel .xlsx."
    )
    if contenu.startswith(UTF16):
        raise FichierRefuse(
            "Ce fichier est encodé en UTF-16, ce qui n'est pas pris en charge : enregistrez-le "
            "en « CSV UTF-8 » ou en classeur Excel .xlsx."
        )
    # Text never holds NUL bytes: this is UTF-16 without its mark, or a binary file.
    if b"\x00" in contenu:
        raise refus
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            texte = contenu.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _ressemble_a_du_texte(texte):
            return texte
        break
    raise refus


CONTROLES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _ressemble_a_du_texte(texte):
    """Control characters are not written in a spreadsheet: many mean a binary file."""
    return len(CONTROLES.findall(texte)) <= len(texte) // 1000


def _lire_csv(texte):
    entete = texte.lstrip("\r\n").split("\n", 1)[0]
    separateur = max(SEPARATEURS, key=entete.count)
    try:
        yield from csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    except csv.Error as error:
        raise FichierRefuse(f"Ce fichier CSV est mal formé : {error}.") from error


# Checking the rows ------------------------------------------------------------------


def _vide(cells):
    # Counted in C first: openpyxl fills each row number a sheet skips with Nones.
    return cells.count(None) == len(cells) or all(
        cell is None or str(cell).strip() == "" for cell in cells
    )


def _texte(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _nom(message):
    def lire(value):
        texte = _texte(value)
        if not texte:
            raise ValidationError(message)
        return texte

    return lire


def _date_de_naissance(value):
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        texte = _texte(value)
        if not texte:
            return None
        day = _date_du_texte(texte)
    if day > timezone.localdate():
        raise ValidationError("La date de naissance ne peut pas être dans le futur.")
    return day


def _date_du_texte(texte):
    for format, forme in FORMATS_DE_DATE.items():
        if not forme.fullmatch(texte):
            continue
        try:
            day = datetime.datetime.strptime(texte, format).date()
        except ValueError:
            raise ValidationError(
                f"Date inexistante « {texte} » : ce jour n'existe pas dans le calendrier."
            ) from None
        if day.year >= 1900:
            return day
    raise ValidationError(
        f"Date invalide « {texte} » : écrivez-la jj/mm/aaaa, par exemple 14/03/1998."
    )


def _chiffres(value, longueur):
    """A code a spreadsheet may have turned into a number, losing its leading zero."""
    texte = _texte(value).replace(" ", "")
    if isinstance(value, int | float) and not isinstance(value, bool) and texte.isdigit():
        texte = texte.zfill(longueur)
    return texte


def _code_postal(value):
    code_postal = _chiffres(value, 5)
    if code_postal:
        validate_code_postal(code_postal)
    return code_postal


def _telephone(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _chiffres(value, 10)
    return _texte(value)


def _identifiant_france_travail(value):
    return _texte(value).replace(" ", "").upper()


def _canal(value):
    """A code or a label; an empty cell means France Travail, the source of these lists."""
    texte = _texte(value)
    if not texte:
        return CanalSourcing.FRANCE_TRAVAIL
    code = CANAUX.get(normalize_for_search(texte))
    if code is None:
        valeurs = ", ".join(CanalSourcing.labels)
        raise ValidationError(f"Canal inconnu « {texte} ». Valeurs possibles : {valeurs}.")
    return code


class Ecoles:
    """The active schools, found by name, city or both, without case or accents."""

    def __init__(self):
        self.par_cle = {}
        self.villes = []
        for ecole in Ecole.objects.actives().order_by("ville", "nom"):
            self.villes.append(ecole.ville)
            for texte in (ecole.nom, ecole.ville, f"{ecole.nom} {ecole.ville}"):
                ecoles = self.par_cle.setdefault(normaliser_entete(texte), [])
                if ecole not in ecoles:
                    ecoles.append(ecole)

    def __call__(self, value):
        """The pk of the school `value` names; None for an empty cell."""
        texte = _texte(value)
        if not texte:
            return None
        ecoles = self.par_cle.get(normaliser_entete(texte), [])
        if len(ecoles) == 1:
            return ecoles[0].pk
        if ecoles:
            noms = ", ".join(str(ecole) for ecole in ecoles)
            raise ValidationError(
                f"Plusieurs écoles correspondent à « {texte} » ({noms}) : ajoutez la ville, "
                f"par exemple « {ecoles[0].nom} {ecoles[0].ville} »."
            )
        villes = ", ".join(dict.fromkeys(self.villes)) or "aucune école active"
        raise ValidationError(
            f"École inconnue « {texte} » : indiquez le nom ou la ville d'une école active "
            f"({villes})."
        )


LECTURES = {
    "nom": _nom("Le nom est obligatoire."),
    "prenom": _nom("Le prénom est obligatoire."),
    "date_naissance": _date_de_naissance,
    "email": _texte,
    "telephone": _telephone,
    "commune": _texte,
    "code_postal": _code_postal,
    "identifiant_france_travail": _identifiant_france_travail,
    "canal": _canal,
}


def _colonnes(entete):
    """Map each column index to a field; refuse a file without the required columns."""
    positions = {}
    ignorees = []
    for index, titre in enumerate(entete):
        cle = normaliser_entete(titre)
        if not cle:
            continue
        colonne = next((c for c in COLONNES if cle in c.alias), None)
        if colonne is None:
            ignorees.append(str(titre).strip())
            continue
        if colonne.champ in positions:
            raise FichierRefuse(f"La colonne « {colonne.titre} » figure deux fois dans l'en-tête.")
        positions[colonne.champ] = index
    manquantes = [c.titre for c in COLONNES if c.requise and c.champ not in positions]
    if manquantes:
        noms = " et ".join(f"« {titre} »" for titre in manquantes)
        s = pluriel(len(manquantes))
        attendues = ", ".join(c.titre for c in COLONNES)
        raise FichierRefuse(
            f"Colonne{s} obligatoire{s} absente{s} : {noms}. La première "
            f"ligne du fichier doit nommer les colonnes ({attendues})."
        )
    return positions, ignorees


def analyser(contenu, *, candidats, suivi=None, ecole_par_defaut=None):
    """Read `contenu` and check every row, against the file itself and against `candidats`.

    `suivi(lignes_verifiees)`, if given, is called between rows (with 0 while the file is
    read); it may raise FichierRefuse to stop the analysis. `ecole_par_defaut` is the
    school aimed at by the rows that name none.
    """
    suivi = suivi or (lambda lignes_verifiees: None)
    lignes_max = settings.PORTAIL_IMPORT_LIGNES_MAX
    with contextlib.closing(lire_tableau(contenu)) as tableau:
        # Numbered as the spreadsheet shows them: the header is row 1, blank rows count.
        remplies = _remplies(tableau, suivi)
        # The header, the limit, and one row more to know it is passed: the rest is never read.
        rows = list(itertools.islice(remplies, 1 + lignes_max + 1))
    if not rows:
        raise FichierRefuse("Le fichier est vide.")
    positions, ignorees = _colonnes(rows[0][1])
    donnees = rows[1:]
    if not donnees:
        raise FichierRefuse("Le fichier ne contient que l'en-tête : aucun candidat à importer.")
    if len(donnees) > lignes_max:
        raise FichierRefuse(
            f"Le fichier compte plus de {_milliers(lignes_max)} lignes : la limite est de "
            f"{_milliers(lignes_max)} par import. Découpez-le en plusieurs fichiers."
        )
    colonnes = [c for c in COLONNES if c.champ in positions]
    lectures = LECTURES
    if "ecole_visee_id" in positions:
        lectures = {**LECTURES, "ecole_visee_id": Ecoles()}
    lignes = []
    for numero, row in donnees:
        suivi(len(lignes))
        lignes.append(_analyser_ligne(numero, row, colonnes, positions, lectures))
    _rattacher(lignes, ecole_par_defaut)
    _chercher_doublons(lignes, candidats)
    suivi(len(lignes))
    return Analyse(lignes=lignes, colonnes=colonnes, colonnes_ignorees=ignorees)


def _milliers(nombre):
    """100000 as French writes it: "100 000", with a no-break space."""
    return f"{nombre:,}".replace(",", "\u00a0")


def _remplies(tableau, suivi):
    for numero, row in enumerate(tableau, start=1):
        suivi(0)
        if not _vide(row):
            yield numero, row


def _analyser_ligne(numero, row, colonnes, positions, lectures):
    def cell(champ):
        index = positions[champ]
        return row[index] if index < len(row) else None

    ligne = Ligne(numero=numero, cellules=[_texte(cell(c.champ)) for c in colonnes])
    erreurs = {}
    for colonne in colonnes:
        try:
            ligne.identite[colonne.champ] = lectures[colonne.champ](cell(colonne.champ))
        except ValidationError as error:
            erreurs[colonne.champ] = error.messages
    # The model's own rules (lengths, e-mail and phone shape, choices) on top of the row's;
    # they also write names and phones as the form stores them. The school was found
    # among the schools: checking it exists again would cost a query per row.
    candidat = Candidat(**ligne.identite)
    try:
        candidat.full_clean(
            exclude=["recherche", "ecole_visee", *erreurs],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        erreurs.update(error.message_dict)
    for champ in erreurs:
        ligne.identite.pop(champ, None)
    for champ in ligne.identite:
        ligne.identite[champ] = getattr(candidat, champ)
    if not erreurs:
        ligne.candidat = candidat
    titres = {c.champ: c.titre for c in COLONNES}
    for champ, messages in erreurs.items():
        for message in messages:
            ligne.erreurs.append(Erreur(numero, titres.get(champ, "—"), message))
    return ligne


def _rattacher(lignes, ecole):
    """The rows that name no school aim at `ecole`, the one chosen on the import form."""
    if ecole is None:
        return
    for ligne in lignes:
        if ligne.identite.get("ecole_visee_id") is None:
            ligne.identite["ecole_visee_id"] = ecole.pk
            if ligne.candidat is not None:
                ligne.candidat.ecole_visee_id = ecole.pk


def _chercher_doublons(lignes, candidats):
    """Compare each row with the rows above it, then with the records, as the form does."""
    identites = [ligne.identite for ligne in lignes]
    for ligne, precedentes in zip(lignes, doublons_internes(identites), strict=True):
        for index, critere in precedentes:
            premiere = lignes[index].numero
            ligne.erreurs.append(
                Erreur(
                    ligne.numero,
                    COLONNES_DES_DOUBLONS[critere],
                    f"Doublon dans le fichier : {MOTIFS[critere]} que la ligne {premiere} "
                    f"(lignes {premiere} et {ligne.numero}).",
                )
            )
    existants = doublons_existants(identites, candidats)
    for ligne, doublons in zip(lignes, existants, strict=True):
        for fiche, criteres in list(doublons.values())[:DOUBLONS_PAR_LIGNE]:
            motifs = ", ".join(MOTIFS[critere] for critere in criteres)
            ligne.erreurs.append(
                Erreur(
                    ligne.numero,
                    COLONNES_DES_DOUBLONS[criteres[0]],
                    f"Déjà enregistré : {fiche['prenom']} {fiche['nom']} a une fiche ({motifs}).",
                    candidat_id=fiche["pk"],
                )
            )


# The result kept for a task's analysis ------------------------------------------------


def resume(analyse):
    """What the preview page shows of `analyse`, as JSON: a task's result."""
    return {
        "nombre": len(analyse.lignes),
        "lignes_en_erreur": analyse.lignes_en_erreur,
        "colonnes": [colonne.titre for colonne in analyse.colonnes],
        "colonnes_ignorees": list(analyse.colonnes_ignorees),
        "erreurs": [
            {**asdict(erreur), "message": str(erreur.message)} for erreur in analyse.erreurs
        ],
        "apercu": [
            {
                "numero": ligne.numero,
                "cellules": ligne.cellules,
                "erreurs": [str(erreur.message) for erreur in ligne.erreurs],
            }
            for ligne in analyse.lignes_apercu
        ],
        "lignes_masquees": analyse.lignes_masquees,
    }


class AnalyseResumee:
    """A `resume` read back, with the attributes of an `Analyse` the preview page uses."""

    def __init__(self, donnees):
        self.lignes = range(donnees["nombre"])
        self.lignes_en_erreur = donnees["lignes_en_erreur"]
        self.colonnes = [SimpleNamespace(titre=titre) for titre in donnees["colonnes"]]
        self.colonnes_ignorees = donnees["colonnes_ignorees"]
        self.erreurs = [Erreur(**erreur) for erreur in donnees["erreurs"]]
        self.lignes_apercu = [SimpleNamespace(**ligne) for ligne in donnees["apercu"]]
        self.lignes_masquees = donnees["lignes_masquees"]

    @property
    def valide(self):
        return bool(self.lignes) and not self.lignes_en_erreur


# The rows kept for the confirmation of a task's analysis ---------------------------------

DATES = frozenset({"date_naissance"})


def garder(analyse):
    """The rows of a valid `analyse` as JSON: `reprendre` reads them back at confirmation."""
    return {
        "champs": [colonne.champ for colonne in analyse.colonnes],
        "colonnes_ignorees": list(analyse.colonnes_ignorees),
        "lignes": [
            [
                ligne.numero,
                ligne.cellules,
                {
                    champ: valeur.isoformat() if champ in DATES and valeur else valeur
                    for champ, valeur in ligne.identite.items()
                },
            ]
            for ligne in analyse.lignes
        ],
    }


def reprendre(donnees, *, candidats, ecole_par_defaut=None):
    """The `Analyse` kept by `garder`, its duplicates searched again among `candidats`.

    Each row passed its checks already, and they depend on the file alone; only the
    records may have changed since (a colleague adding one of these people).
    """
    lignes = []
    for numero, cellules, identite in donnees["lignes"]:
        identite = {
            champ: datetime.date.fromisoformat(valeur) if champ in DATES and valeur else valeur
            for champ, valeur in identite.items()
        }
        lignes.append(
            Ligne(
                numero=numero, cellules=cellules, candidat=Candidat(**identite), identite=identite
            )
        )
    _rattacher(lignes, ecole_par_defaut)
    _chercher_doublons(lignes, candidats)
    colonnes = [colonne for colonne in COLONNES if colonne.champ in donnees["champs"]]
    return Analyse(lignes=lignes, colonnes=colonnes, colonnes_ignorees=donnees["colonnes_ignorees"])
