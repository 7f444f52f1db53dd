"""WCAG 2.1 AA in Chromium: a representative page of each kind, as staff, as a partner,
as an administrator and signed out, checked by axe-core (see conftest.py) at 1366 px and
at 800 px, where tables start to scroll; a screenshot of each at both widths.

The declaration on /accessibilite/ lists these pages: keep the two together.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from parcours.models import Situation
from tests.echanges.fichiers import csv_bytes, ligne
from tests.factories import (
    BesoinFactory,
    CohorteFactory,
    ContactFactory,
    EcoleFactory,
    EntrepriseFactory,
    EvenementFactory,
    InscriptionFactory,
    PartenaireFactory,
    SortieFactory,
    StageFactory,
    SuiviFactory,
    UserFactory,
)

PASSWORD = "mot-de-passe-de-test"
WIDTHS = (1366, 800)


@pytest.fixture(autouse=True)
def imports_dir(settings, tmp_path):
    settings.PORTAIL_IMPORTS_DIR = tmp_path / "depot"


@pytest.fixture
def portail(transactional_db):
    """A Béthune school with a running cohort (a trainee at Ampere, one check-in), an
    ended one with an exit, a hiring need and an event."""
    ampere = EntrepriseFactory(nom="Ampere", ville="Ruitz")
    ContactFactory(entreprise=ampere)
    ecole = EcoleFactory(
        nom="École de la Maintenance et conduite de ligne",
        ville="Béthune",
        entreprises_adherentes=[ampere],
    )
    cohorte = CohorteFactory(parcours__ecole=ecole, nom="Promotion Béthune en cours")
    inscription = InscriptionFactory(
        cohorte=cohorte, candidat__nom="Vasseur", candidat__prenom="Lina"
    )
    StageFactory(inscription=inscription)
    SuiviFactory(inscription=inscription)
    InscriptionFactory(cohorte=cohorte, candidat__nom="Martin", candidat__prenom="Marc")
    terminee = CohorteFactory(
        parcours=cohorte.parcours,
        nom="Promotion Béthune terminée",
        date_debut=timezone.localdate() - datetime.timedelta(weeks=40),
    )
    SortieFactory(inscription=InscriptionFactory(cohorte=terminee), situation=Situation.CDI)
    BesoinFactory(entreprise=ampere, ecole=ecole)
    evenement = EvenementFactory(titre="Job dating maintenance")
    return {
        "ampere": ampere,
        "ecole": ecole,
        "cohorte": cohorte,
        "inscription": inscription,
        "evenement": evenement,
    }


def log_in(page, username, url="login"):
    page.goto(reverse(url))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_load_state()


def visit_at_both_widths(page, accessibility, screenshot, name, url=None, status=200):
    """Open `url` (or stay on the current page) and check and photograph it at each width:
    a table that fits at 1366 px scrolls at 800 px, and a scroll container must then be
    reachable with the keyboard."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    if url is not None:
        response = page.goto(url)
        assert response.status == status, url
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        accessibility(again=width != WIDTHS[0])
        screenshot(f"accessibilite-{name}-{width}")


def assert_checked_without_violation(accessibility, urls):
    checked = {
        url.split("?")[0].removeprefix("http://").split("/", 1)[1] for url in accessibility.checked
    }
    assert {url.lstrip("/") for url in urls} <= checked
    assert accessibility.violations == [], accessibility.report()


def test_staff_pages_have_no_serious_violation(page, accessibility, screenshot, portail, tmp_path):
    UserFactory(username="camille.dupont", first_name="Camille")
    cohorte, inscription = portail["cohorte"], portail["inscription"]
    pages = {
        "accueil": reverse("portail:accueil"),
        "candidats": reverse("candidats:liste"),
        "candidat": reverse("candidats:detail", args=[inscription.candidat_id]),
        "cohortes": reverse("parcours:cohortes"),
        "cohorte": reverse("parcours:cohorte", args=[cohorte.pk]),
        "suivi": reverse("parcours:suivi_creer", args=[inscription.pk]),
        "suivis-du-mois": reverse("parcours:suivis_du_mois"),
        "sortie": reverse("parcours:sortie", args=[inscription.pk]),
        "presences": reverse("presences:grille", args=[cohorte.pk]),
        "indicateurs": reverse("indicateurs:tableau"),
        "besoins": reverse("besoins:liste"),
        "planification-ecoles": reverse("besoins:planification_ecoles"),
        "planification": reverse("besoins:planification", args=[portail["ecole"].pk]),
        "evenements": reverse("evenements:liste"),
        "evenement": reverse("evenements:detail", args=[portail["evenement"].pk]),
        "a-faire": reverse("a_faire:a_faire"),
        "import": reverse("echanges:import_candidats"),
    }
    log_in(page, "camille.dupont")

    for name, url in pages.items():
        visit_at_both_widths(page, accessibility, screenshot, f"equipe-{name}", url)

    fichier = tmp_path / "liste.csv"
    fichier.write_bytes(csv_bytes([ligne(1), ligne(2, **{"Date de naissance": "31/02/1990"})]))
    page.set_input_files("input[type=file]", fichier)
    page.click("button[type=submit]:has-text('Vérifier le fichier')")
    expect(page.locator("#erreurs")).to_be_visible()
    visit_at_both_widths(page, accessibility, screenshot, "equipe-import-apercu")

    # The login page is left at once, by the form: checked all the same.
    assert_checked_without_violation(accessibility, [reverse("login"), *pages.values()])


def test_the_import_preview_table_scrolls_with_the_keyboard(page, portail, tmp_path):
    UserFactory(username="camille.dupont")
    log_in(page, "camille.dupont")
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(reverse("echanges:import_candidats"))
    fichier = tmp_path / "liste.csv"
    fichier.write_bytes(csv_bytes([ligne(1), ligne(2)]))
    page.set_input_files("input[type=file]", fichier)
    page.click("button[type=submit]:has-text('Vérifier le fichier')")

    tableau = page.get_by_role("region", name="Lignes du fichier")
    tableau.focus()
    expect(tableau).to_be_focused()
    assert tableau.evaluate("element => element.scrollWidth > element.clientWidth")
    for _ in range(10):
        page.keyboard.press("ArrowRight")

    # The browser may scroll smoothly: the position is awaited, not read at once.
    page.wait_for_function(
        "element => element.scrollLeft > 0", arg=tableau.element_handle(), timeout=5000
    )


def test_the_focused_element_is_outlined(page, portail):
    page.goto(reverse("portail:mentions_legales"))
    page.keyboard.press("Tab")

    lien = page.get_by_role("link", name="Aller au contenu")
    expect(lien).to_be_focused()
    assert lien.evaluate("element => getComputedStyle(element).outlineStyle") != "none"
    page.keyboard.press("Tab")
    suivant = page.locator(":focus")
    assert suivant.evaluate("element => getComputedStyle(element).outlineStyle") != "none"


def test_partner_pages_have_no_serious_violation(page, accessibility, screenshot, portail):
    PartenaireFactory(username="rh.ampere", appartenance__entreprise=portail["ampere"])
    pages = {
        "ecoles": reverse("partenaires:ecoles"),
        "cohorte": reverse("partenaires:cohorte", args=[portail["cohorte"].pk]),
        "mes-besoins": reverse("besoins:mes_besoins"),
    }
    log_in(page, "rh.ampere")

    for name, url in pages.items():
        visit_at_both_widths(page, accessibility, screenshot, f"partenaire-{name}", url)

    assert_checked_without_violation(accessibility, [reverse("login"), *pages.values()])


def test_pages_without_an_account_have_no_serious_violation(
    page, accessibility, screenshot, portail
):
    pages = {
        "connexion": (reverse("login"), 200),
        "mot-de-passe-oublie": (reverse("password_reset"), 200),
        "mentions-legales": (reverse("portail:mentions_legales"), 200),
        "donnees-personnelles": (reverse("portail:donnees_personnelles"), 200),
        "accessibilite": (reverse("portail:accessibilite"), 200),
        "page-introuvable": ("/cette-page-n-existe-pas/", 404),
    }

    for name, (url, status) in pages.items():
        visit_at_both_widths(page, accessibility, screenshot, f"public-{name}", url, status)

    assert_checked_without_violation(accessibility, [url for url, _ in pages.values()])


def test_admin_pages_have_no_serious_violation(page, accessibility, screenshot, portail):
    UserFactory(username="admin.reseau", administrateur=True)
    pages = {
        "index": reverse("admin:index"),
        "candidats": reverse("admin:candidats_candidat_changelist"),
        "comptes": reverse("admin:comptes_user_changelist"),
        "parcours": reverse(
            "admin:parcours_parcours_change", args=[portail["cohorte"].parcours_id]
        ),
        "entreprise": reverse("admin:entreprises_entreprise_change", args=[portail["ampere"].pk]),
        "cohorte": reverse("admin:parcours_cohorte_change", args=[portail["cohorte"].pk]),
        "nouvelle-ecole": reverse("admin:ecoles_ecole_add"),
    }
    log_in(page, "admin.reseau", url="admin:login")

    for name, url in pages.items():
        visit_at_both_widths(page, accessibility, screenshot, f"admin-{name}", url)

    assert_checked_without_violation(accessibility, [reverse("admin:login"), *pages.values()])


def test_a_page_left_at_once_is_checked_before_the_browser_leaves_it(page, accessibility, portail):
    UserFactory(username="camille.dupont")
    log_in(page, "camille.dupont")

    for url in [reverse("indicateurs:tableau"), reverse("parcours:cohortes")]:
        page.goto(url)
    page.goto(reverse("portail:mentions_legales"))
    accessibility()

    assert_checked_without_violation(
        accessibility, [reverse("indicateurs:tableau"), reverse("parcours:cohortes")]
    )
