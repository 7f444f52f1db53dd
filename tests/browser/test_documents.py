"""A coordinator prints the week's attendance sheet, then files its signed scan."""

import datetime
import re

import pypdfium2
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from documents.models import Document, TypeDocument
from presences import services as presences
from tests.documents.pdf import ARTEFACTS
from tests.factories import (
    SCAN_PDF,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    UserFactory,
)

PASSWORD = "Documents-equipe-2026"
LUNDI = datetime.date(2025, 1, 6)


@pytest.fixture
def cohorte(transactional_db):
    ecole = EcoleFactory(
        nom="École de la Maintenance et conduite de ligne",
        ville="Béthune",
        entreprises_adherentes=[EntrepriseFactory(nom="Ampere")],
    )
    cohorte = CohorteFactory(parcours__ecole=ecole, nom="Béthune janvier 2025", date_debut=LUNDI)
    presences.generer_creneaux(cohorte)
    InscriptionFactory(cohorte=cohorte, candidat__nom="Durand", candidat__prenom="Léa")
    InscriptionFactory(cohorte=cohorte, candidat__nom="Bernard", candidat__prenom="Yanis")
    UserFactory(username="camille.dupont", first_name="Camille", password=PASSWORD)
    return cohorte


def champ(page, libelle):
    return page.get_by_label(re.compile(rf"^{re.escape(libelle)}\s*:?$"))


def test_staff_generate_the_weekly_sheet_and_file_its_signed_scan(
    page, screenshot, cohorte, tmp_path
):
    page.goto(reverse("login"))
    champ(page, "Nom d’utilisateur").fill("camille.dupont")
    champ(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.goto(reverse("parcours:cohorte", args=[cohorte.pk]))
    page.get_by_role("button", name=re.compile("^Documents")).click()
    expect(
        page.get_by_role("heading", name="Documents de la cohorte Béthune janvier 2025")
    ).to_be_visible()
    expect(page.get_by_text("Aucun document n'a encore été généré")).to_be_visible()

    page.get_by_role("form", name="Générer la feuille d'émargement d'une semaine").get_by_label(
        "Semaine"
    ).select_option(label="Semaine du 06/01/2025")
    page.get_by_role("button", name="Générer la feuille de la semaine").click()
    expect(
        page.get_by_text("Feuille d'émargement hebdomadaire — version 1 enregistrée")
    ).to_be_visible()
    screenshot("documents-01-feuille-generee")

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Feuille d'émargement hebdomadaire").click()
    chemin = tmp_path / telechargement.value.suggested_filename
    telechargement.value.save_as(chemin)
    assert chemin.name == "emargement-bethune-janvier-2025-2025-01-06-v1.pdf"
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    pdf = pypdfium2.PdfDocument(str(chemin))
    for numero, feuille in enumerate(pdf, start=1):
        feuille.render(scale=1.5).to_pil().save(ARTEFACTS / f"navigateur-emargement-{numero}.png")
    assert len(pdf) == 1
    pdf.close()

    scan = tmp_path / "feuille-signee.pdf"
    scan.write_bytes(SCAN_PDF)
    formulaire = page.get_by_role("form", name="Déposer une feuille signée")
    formulaire.get_by_label("Semaine de la feuille").select_option(label="Semaine du 06/01/2025")
    formulaire.get_by_label("Feuille signée (PDF, JPEG ou PNG)").set_input_files(str(scan))
    page.get_by_role("button", name="Déposer la feuille signée").click()
    expect(page.get_by_text("les présences de cette semaine sont verrouillées")).to_be_visible()
    expect(page.get_by_role("link", name="Feuille d'émargement signée")).to_be_visible()
    screenshot("documents-02-feuille-signee-deposee")

    assert Document.objects.filter(type=TypeDocument.EMARGEMENT_SIGNE).count() == 1
    assert presences.semaine_verrouillee(cohorte, LUNDI)
