"""Whatever file staff upload, the import refuses it in French or lists its rows; it never crashes.

`imports.analyser` reads the uploaded bytes: it may only raise `FichierRefuse`, which the
upload form turns into a form error. Anything else (UnicodeDecodeError, IndexError,
KeyError, ValueError, zipfile.BadZipFile...) would be a server error page.
"""

import datetime
import io

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from candidats.models import Candidat
from echanges.forms import ImportForm
from echanges.imports import COLONNES, SIGNATURES, UTF16, ZIP, FichierRefuse, analyser
from tests.echanges.fichiers import upload
from tests.factories import CandidatFactory

pytestmark = pytest.mark.django_db

PROPRIETE = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Headers the parser knows, and a few it does not.
ENTETES = sorted({alias for colonne in COLONNES for alias in colonne.alias}) + [
    "Nom",
    "PRENOM",
    "Date_de_naissance",
    "E-mail",
    "Observations",
]


CASSES = [str, str.upper, str.title]


@st.composite
def entetes_valides(draw):
    """A header naming each required column once, some optional ones, in any order."""
    colonnes = [colonne for colonne in COLONNES if colonne.requise] + draw(
        st.lists(
            st.sampled_from([colonne for colonne in COLONNES if not colonne.requise]),
            unique_by=lambda colonne: colonne.champ,
        )
    )
    titres = [
        draw(st.sampled_from(sorted(colonne.alias)).map(draw(st.sampled_from(CASSES))))
        for colonne in colonnes
    ]
    titres += draw(st.lists(st.sampled_from(["Observations", "Agence", ""]), max_size=2))
    return draw(st.permutations(titres))


# Cell values close to what the parser checks: dates, postcodes, channels, e-mails.
VALEURS_PROCHES = [
    "",
    " ",
    "14/03/1998",
    "31/02/1990",
    "1990-07-01",
    "01.01.1899",
    "99/99/9999",
    "14/03/2998",
    "59000",
    "59 000",
    "5900",
    "France Travail",
    "mission locale",
    "Canal inconnu",
    "lea@example.org",
    "pas-une-adresse",
    "0000001Z",
    "0000001z",
    '"',
    '""',
    "a;b",
    "a,b",
    "\r",
    "\n",
    "x" * 150,
]
# Spreadsheets hold printable text: control characters make the file look binary.
TEXTE_IMPRIMABLE = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)
CELLULE_TEXTE = st.one_of(st.sampled_from(VALEURS_PROCHES), TEXTE_IMPRIMABLE)
SEPARATEURS = st.sampled_from([";", ","])
FINS_DE_LIGNE = st.sampled_from(["\n", "\r\n", "\r"])

# Every kind of value an XLSX cell can hold. openpyxl refuses control characters in
# text cells, as Excel does, so none is generated there.
TEXTE_XLSX = TEXTE_IMPRIMABLE | st.sampled_from(
    [value for value in VALEURS_PROCHES if value not in ("\r", "\n")]
)
CELLULE_XLSX = st.one_of(
    st.none(),
    TEXTE_XLSX,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(),
    st.booleans(),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(9999, 12, 31)),
    st.datetimes(
        min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 12, 31)
    ),
)


def analyser_ou_refuser(contenu):
    """Analyse `contenu`; a refusal must carry a message for the page."""
    try:
        analyse = analyser(contenu, candidats=Candidat.objects.all())
    except FichierRefuse as refus:
        event("fichier refusé")
        assert isinstance(refus.message, str)
        assert refus.message.strip()
        return None
    event("lignes analysées" + (", toutes valides" if analyse.valide else ""))
    # What the preview page relies on.
    assert analyse.lignes
    for ligne in analyse.lignes:
        assert ligne.numero >= 2
        assert len(ligne.cellules) == len(analyse.colonnes)
        # A row is kept as a candidate only when its cells passed; otherwise it says why.
        assert ligne.candidat is not None or ligne.erreurs
        for erreur in ligne.erreurs:
            assert erreur.message
    if analyse.valide:
        assert all(candidat is not None for candidat in analyse.candidats)
    return analyse


def csv_texte(entete, lignes, separateur, fin_de_ligne):
    """Cells joined as a careless exporter would: no quoting, whatever they hold."""
    return fin_de_ligne.join(separateur.join(row) for row in [entete, *lignes])


def xlsx(rows):
    classeur = Workbook()
    feuille = classeur.active
    for row in rows:
        feuille.append(row)
    buffer = io.BytesIO()
    classeur.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def existants(db):
    """Records the duplicate search may run into."""
    CandidatFactory(
        nom="Lefebvre",
        prenom="Amélie",
        date_naissance=datetime.date(1998, 3, 14),
        email="lea@example.org",
        identifiant_france_travail="0000001Z",
    )


@PROPRIETE
@given(contenu=st.binary(max_size=2000))
def test_arbitrary_bytes_are_read_or_refused(existants, contenu):
    analyser_ou_refuser(contenu)


@PROPRIETE
@given(
    debut=st.sampled_from([ZIP, *SIGNATURES, *UTF16, b"\xef\xbb\xbf", b"nom;prenom\n"]),
    suite=st.binary(max_size=2000),
)
def test_bytes_behind_a_known_signature_are_read_or_refused(existants, debut, suite):
    analyser_ou_refuser(debut + suite)


@PROPRIETE
@given(texte=st.text(max_size=500), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_arbitrary_text_in_each_accepted_encoding_is_read_or_refused(existants, texte, encoding):
    analyser_ou_refuser(texte.encode(encoding, errors="ignore"))


@PROPRIETE
@given(
    entete=st.lists(st.one_of(st.sampled_from(ENTETES), st.text(max_size=15)), max_size=10),
    lignes=st.lists(st.lists(st.one_of(st.text(max_size=20), CELLULE_TEXTE), max_size=12)),
    separateur=SEPARATEURS,
    fin_de_ligne=FINS_DE_LIGNE,
    encoding=st.sampled_from(["utf-8", "cp1252"]),
)
def test_csv_shaped_text_is_read_or_refused(
    existants, entete, lignes, separateur, fin_de_ligne, encoding
):
    texte = csv_texte(entete, lignes, separateur, fin_de_ligne)

    analyser_ou_refuser(texte.encode(encoding, errors="ignore"))


@PROPRIETE
@given(
    entete=entetes_valides(),
    lignes=st.lists(st.lists(CELLULE_TEXTE, min_size=1, max_size=12), min_size=1, max_size=8),
    separateur=SEPARATEURS,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_rows_under_a_valid_header_are_each_checked(
    existants, entete, lignes, separateur, encoding
):
    """With the required columns, the parser goes on to check every cell of every row."""
    texte = csv_texte(entete, lignes, separateur, "\r\n")

    analyser_ou_refuser(texte.encode(encoding, errors="ignore"))


@PROPRIETE
@given(
    entete=st.lists(st.one_of(st.sampled_from(ENTETES), CELLULE_XLSX), max_size=9),
    lignes=st.lists(st.lists(CELLULE_XLSX, max_size=10), max_size=6),
)
def test_any_cell_values_of_an_xlsx_workbook_are_read_or_refused(existants, entete, lignes):
    analyser_ou_refuser(xlsx([entete, *lignes]))


@PROPRIETE
@given(
    entete=entetes_valides(),
    lignes=st.lists(st.lists(CELLULE_XLSX, min_size=1, max_size=12), min_size=1, max_size=6),
)
def test_any_cell_values_under_a_valid_xlsx_header_are_each_checked(existants, entete, lignes):
    analyser_ou_refuser(xlsx([entete, *lignes]))


CLASSEUR = xlsx([["Nom", "Prénom", "Date de naissance"], ["Lefebvre", "Amélie", "14/03/1998"]])


@PROPRIETE
@given(
    position=st.integers(min_value=0, max_value=len(CLASSEUR) - 1),
    octets=st.binary(min_size=1, max_size=8),
    longueur=st.integers(min_value=len(ZIP), max_value=len(CLASSEUR)),
)
# The zip version an entry needs, in the directory: zipfile raises NotImplementedError.
@example(position=CLASSEUR.index(b"PK\x01\x02") + 6, octets=b"\xff", longueur=len(CLASSEUR))
def test_a_damaged_workbook_is_read_or_refused(existants, position, octets, longueur):
    """Bytes overwritten or cut off anywhere: in the zip directory, an entry, the XML."""
    abime = CLASSEUR[:position] + octets + CLASSEUR[position + len(octets) :]

    analyser_ou_refuser(abime[:longueur])


@PROPRIETE
@given(
    contenu=st.one_of(
        st.binary(max_size=1000),
        st.text(max_size=300).map(lambda texte: texte.encode("cp1252", errors="ignore")),
    ),
    nom=st.sampled_from(["liste.csv", "liste.xlsx", "liste.txt", "liste", "données.CSV"]),
)
def test_the_upload_form_turns_every_refusal_into_a_form_error(existants, contenu, nom):
    form = ImportForm(
        data={},
        files={"fichier": upload(contenu, nom)},
        candidats=Candidat.objects.all(),
    )

    if form.is_valid():
        assert form.analyse is not None
    else:
        assert form.errors["fichier"]
        assert all(message.strip() for message in form.errors["fichier"])
