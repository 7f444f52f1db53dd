"""Issue 16: the cohort list, the month's check-ins and the enrollment picker count and page
over a bounded number of rows, whatever the size of the tables."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidats.models import Candidat
from parcours.dates import first_of_month
from tests.factories import CandidatFactory, CohorteFactory, InscriptionFactory, SuiviFactory
from tests.pages import texte

pytestmark = pytest.mark.django_db
COHORTES = reverse("parcours:cohortes")
SUIVIS = reverse("parcours:suivis_du_mois")


def test_cohort_list_past_the_bound_says_plus_de_and_stops_at_the_last_bounded_page(
    client_staff, borne
):
    for number in range(7):
        CohorteFactory(nom=f"Promotion {number}")

    premiere = texte(client_staff.get(COHORTES))
    profonde = texte(client_staff.get(COHORTES, {"page": 9}))

    assert "plus de 5 cohortes" in premiere
    assert "Page 1 sur 3" in premiere
    assert "précisez la recherche ou les filtres" in premiere
    assert "Page 3 sur 3" in profonde


def test_cohort_list_within_the_bound_shows_the_exact_count(client_staff, borne):
    for number in range(5):
        CohorteFactory(nom=f"Promotion {number}")

    page = texte(client_staff.get(COHORTES))

    assert "5 cohortes" in page
    assert "plus de" not in page


def test_month_counters_past_the_bound_say_plus_de(client_staff, borne):
    cohorte = CohorteFactory()
    mois = first_of_month(cohorte.date_debut)
    for _ in range(6):
        SuiviFactory(inscription=InscriptionFactory(cohorte=cohorte), mois=mois)
    for _ in range(2):
        InscriptionFactory(cohorte=cohorte)

    with CaptureQueriesContext(connection) as queries:
        page = texte(client_staff.get(SUIVIS, {"mois": f"{mois:%Y-%m}"}))

    assert "Fait plus de 5" in page
    # Every count of the page stops one row past the bound.
    comptes = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(comptes) == 3
    assert all("LIMIT 6" in sql for sql in comptes)
    assert re.search(r"(À faire|En retard) 2\b", page)
    assert "Page 1 sur 3" in page


@pytest.mark.parametrize("rows", [1, 50])
def test_cohort_list_queries_do_not_grow_with_the_rows(
    client_staff, django_assert_num_queries, borne, rows
):
    for number in range(rows):
        CohorteFactory(nom=f"Promotion {number}")

    # The request's savepoint, the session, the user; the years of the filter; the
    # paginator's bounded count; the page's cohorts with school and count, then their
    # phases; the schools of the filter; release; the session's rolling expiry
    # (savepoint, update, release).
    with django_assert_num_queries(12):
        response = client_staff.get(COHORTES)

    assert response.status_code == 200


def test_picker_search_past_the_bound_says_plus_de(client_staff, borne):
    cohorte = CohorteFactory()
    for number in range(7):
        CandidatFactory(nom=f"Martin{number}", statut=Candidat.Statut.RETENU)

    page = texte(
        client_staff.get(reverse("parcours:choisir_candidat", args=[cohorte.pk]), {"q": "ma"})
    )

    assert "plus de 5 candidats correspondent à « ma »" in page
    assert "Page 1 sur 3" in page
