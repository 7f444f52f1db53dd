import hashlib
import io

import pypdf
import pytest
from PIL import Image

from documents import rendu, services
from documents.models import TypeDocument
from tests.documents.conftest import LUNDI, saisir_la_semaine
from tests.documents.pdf import en_png, texte
from tests.factories import InscriptionFactory, SortieFactory


def normalise(contenu):
    return " ".join(contenu.split())


def test_weekly_sheet_lists_the_trainees_and_the_half_days_of_the_week(cohorte, lea, staff_user):
    InscriptionFactory(cohorte=cohorte, candidat__nom="Bernard", candidat__prenom="Yanis")

    document = services.generer_feuille_emargement(cohorte=cohorte, lundi=LUNDI, auteur=staff_user)

    contenu, pages = texte(document)
    contenu = normalise(contenu)
    assert pages == 1
    assert "Feuille d'émargement — semaine du 06/01/2025 au 10/01/2025" in contenu
    assert "DURAND Léa" in contenu and "BERNARD Yanis" in contenu
    assert "lun 06/01 matin 3,5 h" in contenu and "ven 10/01 après-midi" in contenu
    assert "Heures prévues sur la semaine : 35 h" in contenu
    assert "Formateur" in contenu
    assert "Page 1 / 1" in contenu
    assert document.type == TypeDocument.EMARGEMENT and document.lundi == LUNDI
    en_png(document, "emargement")


def test_a_large_cohort_sheet_runs_on_numbered_pages(cohorte, staff_user):
    for numero in range(30):
        InscriptionFactory(cohorte=cohorte, candidat__nom=f"Stagiaire{numero:02d}")

    document = services.generer_feuille_emargement(cohorte=cohorte, lundi=LUNDI, auteur=staff_user)

    contenu, pages = texte(document)
    assert pages >= 2
    assert f"Page {pages} / {pages}" in contenu
    assert "STAGIAIRE00" in contenu and "STAGIAIRE29" in contenu


def test_internship_agreement_names_the_three_parties(stage, staff_user):
    document = services.generer_convention(stage=stage, auteur=staff_user)

    contenu, pages = texte(document)
    contenu = normalise(contenu)
    assert pages == 1
    assert "Convention de stage tripartite" in contenu
    assert "Léa DURAND" in contenu
    assert "GRETA du Grand Hainaut" in contenu
    assert "Ampere" in contenu
    assert "Paul Martin, Chef d'équipe" in contenu
    phase = stage.phase
    assert f"du {phase.date_debut:%d/%m/%Y} au {phase.date_fin:%d/%m/%Y}" in contenu
    assert "35 heures par semaine" in contenu
    assert "Conduite de la ligne d'emboutissage" in contenu
    en_png(document, "convention-de-stage")


def test_certificate_shows_the_hours_done_from_attendance(cohorte, lea, staff_user):
    saisir_la_semaine(cohorte, lea, staff_user, absences=1)

    document = services.generer_certificat(inscription=lea, auteur=staff_user)

    contenu, pages = texte(document)
    contenu = normalise(contenu)
    assert pages == 1
    assert "Certificat de réalisation" in contenu
    assert "Léa DURAND" in contenu
    assert f"du 06/01/2025 au {cohorte.date_fin:%d/%m/%Y}" in contenu
    # Nine half-days of 3.5 h present, one absent.
    assert "Heures réalisées 31,5 h" in contenu
    assert "1 non justifiée(s)" in contenu
    assert "Taux d'assiduité 90 %" in contenu
    assert "Financeur France Travail" in contenu
    assert "GRETA du Grand Hainaut" in contenu
    en_png(document, "certificat-de-realisation")


def test_attestation_shows_the_track_dates_hours_and_exit(cohorte, staff_user):
    sortie = SortieFactory(
        inscription__cohorte=cohorte,
        inscription__candidat__nom="Petit",
        inscription__candidat__prenom="Inès",
        employeur="Ampere",
    )

    document = services.generer_attestation(inscription=sortie.inscription, auteur=staff_user)

    contenu, pages = texte(document)
    contenu = normalise(contenu)
    assert pages == 1
    assert "Attestation de fin de formation" in contenu
    assert "Inès PETIT" in contenu
    assert "Conduite de ligne" in contenu
    assert f"du {cohorte.date_debut:%d/%m/%Y} au {cohorte.date_fin:%d/%m/%Y}" in contenu
    assert f"le {sortie.date_sortie:%d/%m/%Y} — Fin de parcours" in contenu
    assert "CDI chez Ampere" in contenu
    assert "Heures réalisées 0 h" in contenu
    en_png(document, "attestation-de-fin-de-formation")


def test_each_page_converts_to_a_png(cohorte, lea, staff_user):
    document = services.generer_feuille_emargement(cohorte=cohorte, lundi=LUNDI, auteur=staff_user)

    (chemin,) = en_png(document, "emargement-conversion")

    largeur, hauteur = Image.open(chemin).size
    assert largeur > hauteur  # A4 landscape


def test_the_shipped_fonts_are_embedded(cohorte, lea, staff_user):
    document = services.generer_feuille_emargement(cohorte=cohorte, lundi=LUNDI, auteur=staff_user)

    contenu = services.lire(document)
    lecteur = pypdf.PdfReader(io.BytesIO(contenu))
    polices = [
        police.get_object()
        for page in lecteur.pages
        for police in page["/Resources"]["/Font"].values()
    ]
    assert polices
    for police in polices:
        descendante = police["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendante["/FontDescriptor"], police["/BaseFont"]
        assert "Portail" in police["/BaseFont"] or "DejaVu" in police["/BaseFont"]
    assert hashlib.sha256(contenu).hexdigest() == document.sha256


@pytest.mark.parametrize(
    "adresse",
    [
        "http://example.org/logo.png",
        "https://example.org/police.ttf",
        "ftp://example.org/a.css",
        "file:///etc/passwd",
        "//example.org/a.png",
    ],
)
def test_the_renderer_refuses_any_other_address(adresse):
    html = f'<p>Bonjour</p><img src="{adresse}">'

    with pytest.raises(rendu.AdresseRefusee):
        rendu.pdf_depuis_html(html)


def test_the_renderer_refuses_a_stylesheet_from_the_network():
    html = '<link rel="stylesheet" href="http://127.0.0.1:9/style.css"><p>Bonjour</p>'

    with pytest.raises(rendu.AdresseRefusee):
        rendu.pdf_depuis_html(html)


def test_the_renderer_serves_the_shipped_fonts():
    html = (
        '<style>@font-face{font-family:P;src:url("DejaVuSans-Bold.ttf")}p{font-family:P}</style>'
        "<p>é</p>"
    )

    assert rendu.pdf_depuis_html(html).startswith(b"%PDF-")
