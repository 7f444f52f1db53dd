import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from besoins.models import Besoin
from parcours.dates import add_months, first_of_month
from tests.factories import EcoleFactory, EntrepriseFactory, PartenaireFactory


@pytest.fixture
def rh_ampere(transactional_db):
    ampere = EntrepriseFactory(nom="Ampere")
    ecole = EcoleFactory(
        nom="École de la conduite de ligne", ville="Béthune", entreprises_adherentes=[ampere]
    )
    PartenaireFactory(username="rh.ampere", appartenance__entreprise=ampere)
    return ecole


def test_a_company_hr_person_declares_a_need_and_sees_it_on_the_planning_view(
    page, screenshot, rh_ampere
):
    mois = add_months(first_of_month(timezone.localdate()), 2)

    page.goto(reverse("login"))
    page.fill("#id_username", "rh.ampere")
    page.fill("#id_password", "mot-de-passe-de-test")
    page.click("button[type=submit]")
    page.get_by_role("link", name="Mes besoins", exact=True).click()
    expect(page.get_by_text("Aucun besoin de recrutement n'est encore exprimé")).to_be_visible()
    page.get_by_role("link", name="Déclarer un besoin").first.click()

    page.select_option("#id_ecole", label="École de la conduite de ligne — Béthune")
    page.fill("#id_metier", "Conducteur de ligne")
    page.fill("#id_postes", "3")
    page.select_option("#id_contrat", label="CDI")
    page.fill("#id_mois_embauche", f"{mois:%Y-%m}")
    page.fill("#id_site", "Ruitz")
    screenshot("besoin-formulaire")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.locator("h1")).to_have_text("Conducteur de ligne")
    expect(page.get_by_text("embauches : 0 / 3")).to_be_visible()
    assert Besoin.objects.get().mois_embauche == mois
    screenshot("besoin-detail")

    page.get_by_role("link", name="École de la conduite de ligne — Béthune").click()

    ligne = page.locator(f"#mois-{mois:%Y-%m}")
    expect(ligne).to_contain_text("Ampere · CDI : 3")
    expect(ligne).to_contain_text("⚠ Il manque 3 places")
    screenshot("besoin-planification")
