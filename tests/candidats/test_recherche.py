"""The candidate search: particles, accents and case aside; a search too short is said so."""

import html

import pytest
from django.urls import reverse

from tests.candidats.test_views import liste, listed_names
from tests.echanges.test_exports import exporter
from tests.factories import CandidatFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def oliveira():
    CandidatFactory(nom="De Oliveira", prenom="Ana")
    CandidatFactory(nom="Martin", prenom="Léa")


@pytest.mark.parametrize(
    "terms", ["d'oliveira", "d’Oliveira", "oliveira", "de oliveira", "DE OLÏVEIRA"]
)
def test_a_name_with_a_particle_is_found_however_it_is_written(client_staff, oliveira, terms):
    response = liste(client_staff, q=terms)

    assert listed_names(response) == ["De Oliveira Ana"]
    assert "1 candidat correspond aux critères" in response.text


def test_an_elided_particle_also_finds_the_elided_name(client_staff):
    CandidatFactory(nom="D'Oliveira", prenom="João")
    CandidatFactory(nom="Martin", prenom="Léa")

    response = liste(client_staff, q="d'oliveira")

    assert listed_names(response) == [html.escape("D'Oliveira João")]


@pytest.mark.parametrize("terms", ["a", "é", "d'", " x "])
def test_a_one_character_search_is_refused_and_the_count_claims_no_match(
    client_staff, oliveira, terms
):
    response = liste(client_staff, q=terms)

    text = html.unescape(response.text)
    assert "Saisissez au moins 2 caractères" in text
    assert "correspond" not in text.split("</hgroup>")[0]
    assert "2 candidats — la recherche n'a pas été appliquée" in text


def test_two_characters_search(client_staff, oliveira):
    response = liste(client_staff, q="ol")

    assert listed_names(response) == ["De Oliveira Ana"]
    assert "Saisissez au moins" not in response.text


def test_the_export_ignores_a_refused_search_as_the_list_does(client_staff, oliveira):
    response = exporter(
        client_staff, reverse("echanges:export_candidats", args=["csv"]), {"q": "a"}
    )

    contenu = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Oliveira" in contenu and "Martin" in contenu
