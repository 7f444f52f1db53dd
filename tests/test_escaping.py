"""Names and notes typed by users are shown as text on every page, never run as markup.

A candidate, a school, a track, a cohort, an organisation and an employer all carry
HTML; each page that shows them must print the escaped form and never the raw one.
"""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from candidats.models import Candidat
from parcours.dates import first_of_month
from parcours.models import Sortie
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    PartenaireFactory,
    SortieFactory,
    StageFactory,
    SuiviFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOM = "<script>alert(1)</script>"
PRENOM = "<img src=x onerror=alert(2)>"
NOTES = f"{NOM}\n{PRENOM}"
# The quote closes an attribute the name would be printed in.
ORGANISATION = '"><svg onload=alert(3)>Ampère'
COHORTE = "<b onmouseover=alert(4)>Promo</b>"
ECOLE = "<a href=javascript:alert(5)>École</a>"
PARCOURS = "<iframe src=//example.org>Conduite</iframe>"
EMPLOYEUR = "<b>Emp</b>"

TOUTES = [NOM, PRENOM, ORGANISATION, COHORTE, ECOLE, PARCOURS, EMPLOYEUR]
# Enough of each value to run a script, in case a page cut or reworded the rest.
FRAGMENTS_ACTIFS = [
    "<script>alert(1)",
    "<img src=x",
    "<svg onload",
    "<b onmouseover",
    "<a href=javascript",
    "<iframe src",
    "<b>Emp",
]


@pytest.fixture
def monde():
    today = timezone.localdate()
    entreprise = EntrepriseFactory(nom=ORGANISATION)
    ecole = EcoleFactory(nom=ECOLE, entreprises_adherentes=[entreprise])
    # Eight weeks ago: the cohort is in its internship phase today.
    cohorte = CohorteFactory(
        parcours=ParcoursFactory(ecole=ecole, nom=PARCOURS),
        nom=COHORTE,
        date_debut=today - datetime.timedelta(weeks=8),
    )
    candidat = CandidatFactory(nom=NOM, prenom=PRENOM, notes=NOTES, ecole_visee=ecole)
    # Its status turns to "sortie" with the exit below, as the exit service writes it.
    inscription = InscriptionFactory(candidat=candidat, cohorte=cohorte)
    StageFactory(inscription=inscription, entreprise=entreprise)
    suivi = SuiviFactory(inscription=inscription, mois=first_of_month(today), commentaire=NOTES)
    SortieFactory(
        inscription=inscription,
        date_sortie=today,
        motif=Sortie.Motif.EMBAUCHE_ANTICIPEE,
        employeur=EMPLOYEUR,
        date_debut_contrat=today + datetime.timedelta(days=1),
    )
    # Pre-selected and never enrolled: listed on the home page and, aiming at the
    # school, in the enrollment picker of its cohort.
    a_inscrire = CandidatFactory(
        nom=NOM,
        prenom=PRENOM,
        notes=NOTES,
        statut=Candidat.Statut.PRESELECTIONNE,
        ecole_visee=ecole,
    )
    return {
        "candidat": candidat,
        "a_inscrire": a_inscrire,
        "cohorte": cohorte,
        "ecole": ecole,
        "inscription": inscription,
        "suivi": suivi,
        "entreprise": entreprise,
        "partenaire": PartenaireFactory(appartenance__entreprise=entreprise),
    }


def page(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


def assert_shown_escaped(text, *values):
    for value in TOUTES:
        assert value not in text
    for fragment in FRAGMENTS_ACTIFS:
        assert fragment not in text
    for value in values:
        assert escape(value) in text


STAFF_PAGES = [
    ("candidats:liste", None, [NOM, PRENOM, ECOLE]),
    ("candidats:detail", "candidat", [NOM, PRENOM, COHORTE, ORGANISATION, EMPLOYEUR, ECOLE]),
    ("parcours:cohortes", None, [COHORTE, ECOLE]),
    ("parcours:cohorte", "cohorte", [COHORTE, ECOLE, PARCOURS, NOM, PRENOM, ORGANISATION]),
    ("parcours:choisir_candidat", "cohorte", [COHORTE, ECOLE, NOM, PRENOM]),
    ("parcours:suivis_du_mois", None, [COHORTE, ECOLE, NOM, PRENOM]),
    ("parcours:suivi_modifier", "suivi", [COHORTE, ECOLE, NOM, PRENOM]),
    ("parcours:sortie", "inscription", [COHORTE, ECOLE, NOM, PRENOM, EMPLOYEUR]),
    ("portail:accueil", None, [NOM, PRENOM, COHORTE, ECOLE]),
    ("entreprises:liste", None, [ORGANISATION]),
    ("entreprises:detail", "entreprise", [ORGANISATION, ECOLE]),
    ("agenda:ecoles", None, [ECOLE]),
    ("besoins:ecole", "ecole", [ECOLE]),
    ("presences:grille", "cohorte", [COHORTE, ECOLE, NOM, PRENOM]),
]


@pytest.mark.parametrize(("name", "objet", "values"), STAFF_PAGES)
def test_staff_pages_show_markup_as_text(monde, name, objet, values):
    args = [monde[objet].pk] if objet else []

    text = page(UserFactory(), reverse(name, args=args))

    assert_shown_escaped(text, *values)


def test_the_staff_notes_are_shown_as_text_on_the_candidate_page(monde):
    text = page(UserFactory(), reverse("candidats:detail", args=[monde["candidat"].pk]))

    notes = text.split("Notes de l'équipe", 1)[1].split("</section>", 1)[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in notes
    assert escape(PRENOM) in notes


def test_the_check_in_comment_is_shown_as_text_in_its_form(monde):
    text = page(UserFactory(), reverse("parcours:suivi_modifier", args=[monde["suivi"].pk]))

    assert f">\n{escape(NOTES)}</textarea>" in text


def test_the_cohort_choice_shows_the_candidate_and_cohorts_as_text(monde):
    text = page(UserFactory(), reverse("parcours:choisir_cohorte", args=[monde["a_inscrire"].pk]))

    assert_shown_escaped(text, NOM, PRENOM, COHORTE, ECOLE)


def test_indicators_show_school_and_cohort_names_as_text(monde):
    debut = monde["cohorte"].date_debut
    url = f"{reverse('indicateurs:tableau')}?debut={debut:%Y-%m-%d}"

    text = page(UserFactory(), url)

    assert_shown_escaped(text, COHORTE, ECOLE)
    # The bar chart names the schools in its SVG text and its description too.
    chart = text.split('id="par-ecole"', 1)[1].split("</svg>", 1)[0]
    assert escape(ECOLE) in chart


@pytest.mark.parametrize("name", ["partenaires:ecoles", "partenaires:cohorte"])
def test_partner_pages_show_markup_as_text(monde, name):
    args = [monde["cohorte"].pk] if name == "partenaires:cohorte" else []

    text = page(monde["partenaire"], reverse(name, args=args))

    expected = [ORGANISATION, ECOLE, COHORTE]
    if name == "partenaires:cohorte":
        expected += [NOM, PRENOM, PARCOURS]
    assert_shown_escaped(text, *expected)


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_partner_trainee_file_holds_the_names_as_typed_not_as_html(monde, format):
    InscriptionFactory(cohorte=monde["cohorte"], candidat=CandidatFactory(nom=NOM, prenom=PRENOM))
    client = Client()
    client.force_login(monde["partenaire"])

    response = client.get(reverse("partenaires:export_stagiaires", args=[format]))

    assert response.status_code == 200
    contenu = b"".join(response.streaming_content)
    if format == "xlsx":
        feuille = load_workbook(io.BytesIO(contenu)).active
        contenu = "\n".join(str(cell.value) for row in feuille.iter_rows() for cell in row)
    else:
        contenu = contenu.decode("utf-8-sig")
    # A file is not a page: escaping would only garble the names in the spreadsheet.
    for value in (NOM, PRENOM, COHORTE, ECOLE):
        assert value in contenu
        assert escape(value) not in contenu


def test_the_admin_lists_candidates_as_text(monde):
    admin = UserFactory(administrateur=True)

    text = page(admin, reverse("admin:candidats_candidat_changelist"))

    assert_shown_escaped(text, NOM, PRENOM, ECOLE)


def test_the_admin_change_page_holds_the_markup_as_field_values(monde):
    admin = UserFactory(administrateur=True)
    url = reverse("admin:candidats_candidat_change", args=[monde["candidat"].pk])

    text = page(admin, url)

    assert_shown_escaped(text, NOM, PRENOM)
    assert f'value="{escape(NOM)}"' in text
    assert f">\n{escape(NOTES)}</textarea>" in text
