"""A coordinator fills a week of attendance with the keyboard in Chromium, then saves it."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from presences.models import Presence, StatutPresence
from tests.factories import CohorteFactory, EcoleFactory, InscriptionFactory, UserFactory

PASSWORD = "Presences-2026"
LUNDI = datetime.date(2025, 1, 6)


@pytest.fixture
def cohorte(transactional_db):
    cohorte = CohorteFactory(
        parcours__ecole=EcoleFactory(ville="Béthune"),
        nom="Béthune — janvier 2025",
        date_debut=LUNDI,
    )
    InscriptionFactory(cohorte=cohorte, candidat__nom="Lefèvre", candidat__prenom="Léa")
    InscriptionFactory(cohorte=cohorte, candidat__nom="Martin", candidat__prenom="Marc")
    return cohorte


@pytest.fixture
def camille(transactional_db):
    return UserFactory(username="camille.dupont", first_name="Camille", password=PASSWORD)


def champ(page, libelle):
    return page.get_by_label(re.compile(rf"^{re.escape(libelle)}\s*:?$"))


def test_a_coordinator_fills_a_week_with_the_keyboard(page, screenshot, cohorte, camille):
    page.goto(reverse("login"))
    champ(page, "Nom d’utilisateur").fill("camille.dupont")
    champ(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.goto(f"{reverse('presences:grille', args=[cohorte.pk])}?semaine={LUNDI:%Y-%m-%d}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("semaine du 06/01/2025")
    premier = page.locator("select.saisie-statut").first
    premier.focus()
    # Léa present on Monday morning, Marc absent; then everyone present, cell by cell:
    # each key moves down the half-day, then to the top of the next one.
    page.keyboard.press("p")
    page.keyboard.press("a")
    for _ in range(18):
        page.keyboard.press("p")
    expect(page.get_by_label("Marc Martin, 06/01/2025 matin", exact=True)).to_have_value(
        "absent_non_justifie"
    )
    expect(page.locator("select.saisie-statut").last).to_have_value("present")
    screenshot("presences-01-grille-remplie")

    page.get_by_role("button", name="Enregistrer la semaine").click()

    expect(page.locator(".messages")).to_contain_text("Présences enregistrées : 20 saisie(s)")
    screenshot("presences-02-grille-enregistree")
    assert Presence.objects.filter(statut=StatutPresence.PRESENT).count() == 19
    absence = Presence.objects.get(statut=StatutPresence.ABSENT_NON_JUSTIFIE)
    assert absence.inscription.candidat.nom == "Martin"
