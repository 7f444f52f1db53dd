import csv
import datetime
import io
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
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
    # The Béthune track: 6 weeks of theory, then the internship, under way today.
    en_stage = CohorteFactory(
        parcours__ecole=ecole_a,
        nom="Promotion Béthune hiver",
        date_debut=timezone.localdate() - datetime.timedelta(weeks=7),
    )
    StageFactory(
        inscription__cohorte=en_stage,
        inscription__candidat=CandidatFactory(prenom="Paul", nom="Lefebvre"),
    )
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
    en_cours = page.locator("#stages-en-cours")
    a_venir = page.locator("#stages-a-venir")
    expect(en_cours.get_by_role("row", name="Paul Lefebvre")).to_be_visible()
    expect(a_venir.get_by_role("row", name="Inès Zerrouki")).to_be_visible()
    assert "Inès Zerrouki" not in en_cours.inner_text()
    # One host company: its name is not repeated on each internship.
    assert "Ampere Béthune" not in a_venir.inner_text()
    expect(
        page.get_by_role("heading", name="Votre contact pour le suivi des stagiaires")
    ).to_be_visible()
    screenshot("partenaire-mes-ecoles")

    with page.expect_download() as attente:
        page.get_by_role("link", name="fichier CSV").click()
    fichier = Path(attente.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(fichier, newline=""), delimiter=";"))
    assert [row[2] for row in rows[1:]] == ["Lefebvre", "Zerrouki"]
    assert "0611223344" not in fichier

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
