"""A coordinator registers participants at an event and marks attendance, in Chromium."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from playwright.sync_api import expect

from candidats.models import CanalSourcing, Candidat
from evenements.models import Participation, StatutParticipation
from tests.factories import CandidatFactory, EvenementFactory, UserFactory

PASSWORD = "Evenements-equipe-2026"


@pytest.fixture
def evenement(transactional_db):
    return EvenementFactory(titre="Job dating maintenance", date=timezone.localdate(), capacite=10)


@pytest.fixture
def coordinatrice(transactional_db):
    return UserFactory(
        username="sarah.lefebvre", first_name="Sarah", last_name="Lefebvre", password=PASSWORD
    )


def champ(page, libelle):
    return page.get_by_label(re.compile(rf"^{re.escape(libelle)}\s*:?$"))


def test_coordinator_registers_an_existing_and_a_new_candidate_and_marks_attendance(
    page, screenshot, evenement, coordinatrice
):
    existante = CandidatFactory(nom="Dufresne", prenom="Hélène")

    page.goto(reverse("login"))
    champ(page, "Nom d’utilisateur").fill("sarah.lefebvre")
    champ(page, "Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Événements"
    ).click()
    page.get_by_role("link", name="Job dating maintenance").click()
    expect(page.get_by_role("heading", name="Job dating maintenance")).to_be_visible()
    expect(page.get_by_text("Personne n'est encore inscrit à cet événement.")).to_be_visible()

    # An existing candidate, through the search picker.
    page.get_by_role("button", name="Inscrire un participant").click()
    page.get_by_label("Rechercher un candidat").fill("dufresne")
    page.get_by_role("button", name="Rechercher").click()
    screenshot("evenements-01-recherche")
    page.get_by_role("button", name="Inscrire Hélène Dufresne").click()
    expect(page.locator(".messages")).to_contain_text("Hélène Dufresne est inscrit·e")

    # A new candidate, created with the event as source.
    page.get_by_role("button", name="Nouveau candidat").click()
    champ(page, "Nom").fill("Benali")
    champ(page, "Prénom").fill("Yanis")
    # The form names the field as the candidate's file does.
    champ(page, capfirst(Candidat._meta.get_field("email").verbose_name)).fill(
        "yanis.benali@example.org"
    )
    screenshot("evenements-02-nouveau")
    page.get_by_role("button", name="Créer la fiche et inscrire").click()
    expect(page.locator(".messages")).to_contain_text("Fiche créée et inscrite : Yanis Benali.")
    expect(page.get_by_role("heading", name="Participants (2)")).to_be_visible()

    # Attendance after the event, one save.
    page.get_by_role("button", name="Saisir les présences").click()
    page.get_by_role("group", name="Statut d'Hélène Dufresne").get_by_label("Présent").check()
    page.get_by_role("group", name="Statut de Yanis Benali").get_by_label("Excusé").check()
    screenshot("evenements-03-presences")
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.locator(".messages")).to_contain_text("Présences enregistrées")
    screenshot("evenements-04-evenement")

    nouveau = Candidat.objects.get(nom="Benali")
    assert nouveau.canal == CanalSourcing.EVENEMENT
    assert nouveau.evenement_source_id == evenement.pk
    statuts = dict(
        Participation.objects.filter(evenement=evenement).values_list("candidat_id", "statut")
    )
    assert statuts == {
        existante.pk: StatutParticipation.PRESENT,
        nouveau.pk: StatutParticipation.EXCUSE,
    }
