"""Staff plan a cohort in Chromium: create it from its track, then move its internship."""

import datetime
import re

import pytest
from django.urls import reverse

from parcours.models import Cohorte, TypePhase
from tests.factories import EcoleFactory, EntrepriseFactory, ParcoursFactory, UserFactory

PASSWORD = "Planification-2026"


@pytest.fixture
def parcours(transactional_db):
    ecole = EcoleFactory(
        nom="École de la Maintenance et conduite de ligne",
        ville="Béthune",
        entreprises_adherentes=[EntrepriseFactory(nom="Ampere", ville="Ruitz")],
    )
    return ParcoursFactory(ecole=ecole, nom="Conduite de ligne")


@pytest.fixture
def camille(transactional_db):
    return UserFactory(username="camille.dupont", first_name="Camille", password=PASSWORD)


def champ(page, libelle):
    return page.get_by_label(re.compile(rf"^{re.escape(libelle)}\s*:?$"))


def test_staff_create_a_cohort_and_add_a_break_before_its_internship(
    page, screenshot, parcours, camille
):
    page.goto(reverse("login"))
    champ(page, "Nom d’utilisateur").fill("camille.dupont")
    champ(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.goto(reverse("parcours:cohortes"))
    page.get_by_role("button", name="Nouvelle cohorte").click()
    champ(page, "Parcours").select_option(str(parcours.pk))
    champ(page, "Date de début").fill("2025-04-07")
    champ(page, "Places").fill("14")
    page.get_by_role("button", name="Voir le calendrier").click()

    apercu = page.get_by_role("region", name="Calendrier proposé")
    assert "Béthune Conduite de ligne — 04/2025" in apercu.inner_text()
    assert "Lundi de Pâques" in apercu.inner_text()
    screenshot("planification-01-apercu")
    page.get_by_role("button", name="Créer la cohorte").click()

    page.wait_for_url(re.compile(r"/cohortes/\d+/$"))
    assert "est créée" in page.locator(".messages").inner_text()
    cohorte = Cohorte.objects.get()

    page.get_by_role("button", name="Modifier le calendrier").click()
    # The theory ends a week earlier; the empty row becomes a one-week break.
    page.get_by_label("Fin, ligne 1").fill("2025-05-11")
    page.get_by_label("Intitulé, ligne 4").fill("Pont de mai")
    page.get_by_label("Type, ligne 4").select_option(label="Interruption")
    page.get_by_label("Début, ligne 4").fill("2025-05-12")
    page.get_by_label("Fin, ligne 4").fill("2025-05-18")
    screenshot("planification-02-calendrier")
    page.get_by_role("button", name="Enregistrer le calendrier").click()

    page.wait_for_url(re.compile(rf"/cohortes/{cohorte.pk}/$"))
    assert "Le calendrier de la cohorte est enregistré." in page.locator(".messages").inner_text()
    assert [(phase.type, phase.date_debut) for phase in cohorte.phases.order_by("ordre")] == [
        (TypePhase.THEORIE, datetime.date(2025, 4, 7)),
        (TypePhase.INTERRUPTION, datetime.date(2025, 5, 12)),
        (TypePhase.STAGE, datetime.date(2025, 5, 19)),
        (TypePhase.THEORIE, datetime.date(2025, 6, 23)),
    ]
    screenshot("planification-03-cohorte")
