"""Issue 15 in Chromium: the portal's forms answer in French, not with the browser's bubbles."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from parcours.models import Sortie
from tests.factories import CandidatFactory, EcoleFactory, InscriptionFactory, UserFactory

PASSWORD = "Formulaires-issue-15"


@pytest.fixture
def inscription(transactional_db):
    UserFactory(username="camille.dupont", password=PASSWORD)
    return InscriptionFactory(candidat__prenom="Lina", candidat__nom="Vasseur")


def champ(page, libelle):
    return page.get_by_label(re.compile(rf"^{re.escape(libelle)}(\s*\*)?\s*:?$"))


def se_connecter(page):
    page.goto(reverse("login"))
    champ(page, "Nom d’utilisateur").fill("camille.dupont")
    champ(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def test_an_empty_exit_form_gets_french_errors_whose_links_focus_the_fields(page, inscription):
    se_connecter(page)

    page.goto(reverse("parcours:sortie", args=[inscription.pk]))
    expect(page.get_by_text("* champ obligatoire")).to_be_visible()
    assert champ(page, "Motif").get_attribute("aria-required") == "true"
    assert page.evaluate("document.querySelector('form.formulaire').noValidate")
    page.get_by_role("button", name="Enregistrer la sortie").click()

    # Had the browser held the form back with its own bubble, no page would answer.
    alerte = page.get_by_role("alert")
    expect(alerte).to_contain_text("Le formulaire contient des erreurs")
    alerte.get_by_role("link", name="Situation à la sortie").click()

    assert page.url.endswith("#id_situation")
    assert page.evaluate("document.activeElement.id") == "id_situation"
    assert not Sortie.objects.exists()


def test_the_candidate_picker_asks_for_two_letters_and_lists_the_school_first(page, inscription):
    cohorte = inscription.cohorte
    CandidatFactory(nom="Martin", prenom="Paul", ecole_visee=EcoleFactory())
    CandidatFactory(nom="Martinez", prenom="Inès", ecole_visee=cohorte.parcours.ecole)
    se_connecter(page)

    page.goto(reverse("parcours:choisir_candidat", args=[cohorte.pk]))
    recherche = page.get_by_label("Rechercher un candidat")
    recherche.fill("m")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("Saisissez au moins deux caractères pour rechercher.")).to_be_visible()
    expect(recherche).to_have_attribute("aria-invalid", "true")

    recherche.fill("mart")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("rowheader")).to_have_text(["Martinez Inès", "Martin Paul"])
