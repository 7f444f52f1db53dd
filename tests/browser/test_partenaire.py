import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    PartenaireFactory,
    StageFactory,
)


@pytest.fixture
def ecoles(transactional_db):
    ampere = EntrepriseFactory(nom="Ampere Béthune")
    ecole_a = EcoleFactory(nom="École de la conduite de ligne", entreprises_adherentes=[ampere])
    cohorte_a = CohorteFactory(parcours__ecole=ecole_a, nom="Promotion Béthune")
    inscription = InscriptionFactory(
        cohorte=cohorte_a,
        candidat=CandidatFactory(prenom="Inès", nom="Zerrouki", telephone="TEL-0611223344"),
    )
    StageFactory(inscription=inscription)
    big_ben = EntrepriseFactory(nom="Big Ben Douai")
    ecole_b = EcoleFactory(nom="École de la Logistique", entreprises_adherentes=[big_ben])
    cohorte_b = CohorteFactory(parcours__ecole=ecole_b, nom="Promotion Douai")
    PartenaireFactory(username="rh.ampere", appartenance__entreprise=ampere)
    return cohorte_a, cohorte_b


def test_partner_follows_its_cohort_and_cannot_open_another_school(page, screenshot, ecoles):
    cohorte_a, cohorte_b = ecoles

    page.goto(reverse("login"))
    page.fill("#id_username", "rh.ampere")
    page.fill("#id_password", "mot-de-passe-de-test")
    page.click("button[type=submit]")
    page.get_by_role("link", name="Mes écoles").click()

    assert page.locator("h1").inner_text() == "Mes écoles"
    assert "École de la Logistique" not in page.content()
    screenshot("partenaire-mes-ecoles")

    page.get_by_role("link", name="Promotion Béthune").first.click()

    assert page.locator("h1").inner_text() == "Promotion Béthune"
    expect(page.get_by_role("row", name="Inès Zerrouki")).to_be_visible()
    assert "Ampere Béthune" in page.locator("table").inner_text()
    assert "TEL-0611223344" not in page.content()
    screenshot("partenaire-cohorte")

    response = page.goto(reverse("partenaires:cohorte", args=[cohorte_b.pk]))

    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page introuvable"
    assert "Promotion Douai" not in page.content()
    screenshot("partenaire-cohorte-autre-ecole-404")
