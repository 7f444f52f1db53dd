import pytest
from django.urls import NoReverseMatch, reverse

from candidats.models import Candidat
from tests.echanges.fichiers import csv_bytes, ligne
from tests.factories import CandidatFactory, EcoleFactory, UserFactory

PASSWORD = "import-mot-de-passe-42"


@pytest.fixture(autouse=True)
def imports_dir(settings, tmp_path):
    settings.PORTAIL_IMPORTS_DIR = tmp_path / "depot"


@pytest.fixture
def staff_login(transactional_db):
    return UserFactory(username="camille.import", password=PASSWORD)


def log_in(page, user):
    page.goto(reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def a_file(tmp_path, rows, name="liste-france-travail.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, encoding="cp1252"))
    return path


def test_staff_uploads_a_list_previews_it_and_imports_it(page, screenshot, staff_login, tmp_path):
    csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and csp_violations.append(message.text)
        ),
    )
    rows = [
        ligne(1, Nom="Vandenbussche", Prénom="Élodie"),
        ligne(2, Nom="Vandenbussche", Prénom="Noël"),
    ]
    douai = EcoleFactory(nom="École de la Logistique", ville="Douai")
    log_in(page, staff_login)

    page.goto(reverse("echanges:import_candidats"))
    screenshot("import-depot")
    page.set_input_files("input[type=file]", a_file(tmp_path, rows))
    page.get_by_label("École visée par défaut").select_option(label=str(douai))
    page.click("button[type=submit]:has-text('Vérifier le fichier')")

    page.wait_for_selector("h1:has-text('Vérification de l')")
    assert "Toutes les lignes sont valides" in page.locator("#resume").inner_text()
    assert "rattachées à l'école par défaut : École de la Logistique — Douai" in (
        page.locator("main").inner_text()
    )
    assert page.locator("table.import-lignes tbody tr").count() == 2
    assert "Élodie" in page.locator("table.import-lignes").inner_text()
    assert Candidat.objects.count() == 0
    screenshot("import-apercu")

    page.click("button:has-text('Confirmer l')")

    page.wait_for_selector("#candidats-importes")
    assert "2 candidats importés" in page.locator(".messages").inner_text()
    imported = page.locator("#candidats-importes tbody tr")
    assert imported.count() == 2
    assert "Vandenbussche Élodie" in imported.nth(0).inner_text()
    assert Candidat.objects.filter(nom="Vandenbussche", ecole_visee=douai).count() == 2
    screenshot("import-termine")

    try:
        liste = reverse("candidats:liste")
    except NoReverseMatch:
        liste = None
    if liste:
        page.goto(f"{liste}?q=vandenbussche")
        assert page.locator("text=Vandenbussche Élodie").count() == 1
        assert page.locator("text=Vandenbussche Noël").count() == 1
    assert not csp_violations


def test_staff_sees_every_error_and_no_confirm_button(page, screenshot, staff_login, tmp_path):
    existant = CandidatFactory(identifiant_france_travail="0000001Z")
    rows = [ligne(1), ligne(2, **{"Date de naissance": "31/02/1990"})]
    log_in(page, staff_login)

    page.goto(reverse("echanges:import_candidats"))
    page.set_input_files("input[type=file]", a_file(tmp_path, rows))
    page.click("button[type=submit]:has-text('Vérifier le fichier')")

    erreurs = page.locator("#erreurs tbody tr")
    erreurs.first.wait_for()
    assert erreurs.count() == 2
    assert "Déjà enregistré" in erreurs.nth(0).inner_text()
    assert "Date inexistante « 31/02/1990 »" in erreurs.nth(1).inner_text()
    assert page.locator("button:has-text('Confirmer l')").count() == 0
    screenshot("import-erreurs")

    page.click("#erreurs a:has-text('Voir la fiche')")
    page.wait_for_url(f"**{reverse('candidats:detail', args=[existant.pk])}")
    assert Candidat.objects.count() == 1
