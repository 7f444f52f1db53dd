"""The candidate search: particles, accents and case aside; a search too short is said so."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidats.models import Candidat
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


# Issue 16: the matches of a search are sorted among themselves.


@pytest.fixture
def trois_leblanc():
    for nom, prenom in [("Leblanc", "Zoé"), ("Leblanc", "Adam"), ("Leblanc-Roux", "Marc")]:
        CandidatFactory(nom=nom, prenom=prenom)
    CandidatFactory(nom="Aubert", prenom="Léo")
    CandidatFactory(nom="Zola", prenom="Émile")


@pytest.mark.parametrize(
    "tri, attendus",
    [
        ("nom", ["Leblanc Adam", "Leblanc Zoé", "Leblanc-Roux Marc"]),
        ("-nom", ["Leblanc-Roux Marc", "Leblanc Zoé", "Leblanc Adam"]),
    ],
)
def test_the_matches_of_a_search_are_listed_in_the_order_asked_for(
    client_staff, trois_leblanc, tri, attendus
):
    response = liste(client_staff, q="leblanc", tri=tri)

    assert listed_names(response) == [html.escape(nom) for nom in attendus]
    assert "3 candidats correspondent aux critères" in response.text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN de PostgreSQL")
def test_postgresql_sorts_the_matches_of_a_search_instead_of_walking_the_name_index(
    client_staff, trois_leblanc
):
    # A common name among other names sorted before it, as at a million candidates: the
    # planner, seeing one row in ten match, expects the name index to reach a page of
    # matches after 250 entries; it does after 4,000.
    Candidat.objects.bulk_create(
        [Candidat(nom=f"A{numero:04d}", prenom="Test", recherche="a") for numero in range(4000)]
        + [
            Candidat(nom="Leblanc", prenom=f"P{numero:03d}", recherche="leblanc p")
            for numero in range(400)
        ]
    )
    with CaptureQueriesContext(connection) as queries:
        liste(client_staff, q="leblanc", tri="nom")
    recherches = [
        query["sql"]
        for query in queries.captured_queries
        if '"candidats_candidat"."recherche"' in query["sql"]
    ]
    (compte,) = [sql for sql in recherches if sql.startswith("SELECT COUNT(*)")]
    (page,) = [sql for sql in recherches if sql != compte]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE candidats_candidat")
        # Read whole, so small a table would not show which index serves which part.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = []
        for sql in (page, compte):
            cursor.execute(f"EXPLAIN {sql}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    plan_de_la_page, plan_du_compte = plans

    # Along the name index, a name late in the alphabet would be looked for row by row
    # through every name before it.
    assert "candidat_nom_idx" not in plan_de_la_page
    assert "candidat_liste_nom_idx" not in plan_de_la_page
    # The matches are sorted (which index finds them, on a table this small, is the
    # planner's choice: the trigram index at a million rows).
    assert "Sort Key: (COALESCE(candidats_candidat.nom, candidats_candidat.nom))" in (
        plan_de_la_page
    )
    # The bounded count stops at its bound in no order: nothing to sort.
    assert "Sort" not in plan_du_compte
