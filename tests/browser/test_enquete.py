"""A former trainee answers the 6-month survey on a phone, from the e-mailed link."""

import datetime

import pytest

from enquetes.models import SituationApresSortie
from parcours.models import Categorie, Sortie
from tests.enquetes.helpers import lien, sortie_tardive


@pytest.fixture
def enquete_a_6_mois(transactional_db):
    sortie = sortie_tardive(candidat__prenom="Lina", candidat__nom="Vasseur")
    return sortie.enquetes.get(vague_mois=6)


def test_a_former_trainee_answers_the_survey_on_a_phone(page, screenshot, enquete_a_6_mois):
    page.set_viewport_size({"width": 375, "height": 800})
    csp_violations = []
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    chemin = lien(enquete_a_6_mois)

    page.goto(chemin)

    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Lina,"
    assert "Vasseur" not in page.content()
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_label("Votre situation aujourd'hui").select_option("cdd")
    page.get_by_label("Début du contrat").fill("2026-03-02")
    page.get_by_label("Fin du contrat").fill("2026-10-01")
    page.get_by_label("Très satisfait·e").check()
    page.get_by_label("Un commentaire ?").fill("Embauchée à l'issue du stage.")
    screenshot("enquete-mobile")
    page.get_by_role("button", name="Envoyer ma réponse").click()

    page.wait_for_url(f"**{chemin}")
    assert page.get_by_role("heading", level=1).inner_text() == "Merci !"
    screenshot("enquete-mobile-merci")
    situation = SituationApresSortie.objects.get()
    assert (situation.situation, situation.categorie) == ("cdd", Categorie.EMPLOI_DURABLE)
    assert situation.date_fin_contrat == datetime.date(2026, 10, 1)
    assert situation.satisfaction == 5
    assert Sortie.objects.get().situation == "cdi"
    assert csp_violations == []
