"""Each survey page runs a fixed number of queries, whatever the number of surveys."""

import pytest
from django.urls import reverse

from tests.factories import CohorteFactory, InscriptionFactory, SortieFactory

from .helpers import DEBUT_MAI_2025, FIN_AOUT_2025, lien

pytestmark = pytest.mark.django_db

ROWS = pytest.mark.parametrize("rows", [1, 50])


def surveys_at_6_months(rows, **candidat):
    """`rows` exits of 31 August 2025 recorded today: their 6-month surveys are due."""
    cohorte = CohorteFactory(date_debut=DEBUT_MAI_2025, places=60)
    return [
        SortieFactory(
            inscription=InscriptionFactory(cohorte=cohorte, **candidat), date_sortie=FIN_AOUT_2025
        ).enquetes.get(vague_mois=6)
        for _ in range(rows)
    ]


@ROWS
def test_the_survey_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, rows):
    enquete = surveys_at_6_months(rows)[-1]
    chemin = lien(enquete)

    # In the request's transaction (SAVEPOINT … RELEASE): the client's count in the cache
    # (read it, count the table for culling, then SAVEPOINT, SELECT, INSERT, RELEASE to
    # write it), the token with its survey, person and track, whether the survey is still
    # open. No session for an anonymous visitor.
    with django_assert_num_queries(10):
        response = client.get(chemin)

    assert response.status_code == 200


@ROWS
def test_the_call_list_runs_a_fixed_number_of_queries(
    client_staff, django_assert_num_queries, rows
):
    surveys_at_6_months(rows, candidat__email="")

    # In the request's transaction: session and user, the count and the page of surveys
    # with their people and cohorts; then the session saved (SESSION_SAVE_EVERY_REQUEST)
    # in a transaction of its own.
    with django_assert_num_queries(9):
        response = client_staff.get(reverse("enquetes:a_appeler"))

    assert response.context["page_obj"].paginator.count == rows


@ROWS
def test_the_phone_answer_page_runs_a_fixed_number_of_queries(
    client_staff, django_assert_num_queries, rows
):
    enquete = surveys_at_6_months(rows, candidat__email="")[-1]

    # In the request's transaction: session and user, the survey with its person and
    # cohort; then the session saved in a transaction of its own.
    with django_assert_num_queries(8):
        response = client_staff.get(reverse("enquetes:appel", args=[enquete.pk]))

    assert response.context["enquete"] == enquete
