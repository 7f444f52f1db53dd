"""The partner pages run a fixed number of queries, whatever the number of trainees."""

import pytest
from django.urls import reverse

from tests.factories import (
    CohorteFactory,
    InscriptionFactory,
    SortieFactory,
    StageFactory,
    SuiviFactory,
)


@pytest.fixture(params=[1, 50], ids=["1-stagiaire", "50-stagiaires"])
def stagiaires(request, cohorte_a, ecole_a, cohorte_b):
    """Trainees in training with an internship and a check-in, and as many who left."""
    CohorteFactory(parcours__ecole=ecole_a)
    inscriptions = []
    for _ in range(request.param):
        inscription = InscriptionFactory(cohorte=cohorte_a)
        StageFactory(inscription=inscription)
        SuiviFactory(inscription=inscription)
        inscriptions.append(inscription)
        SortieFactory(inscription__cohorte=cohorte_a)
    return inscriptions


def test_mes_ecoles_query_count(client, partenaire_a, stagiaires, django_assert_num_queries):
    client.force_login(partenaire_a)

    # 1 savepoint (ATOMIC_REQUESTS), 2 session, 3 user,
    # 4 the user's organisations with an active membership,
    # 5 the visible schools, 6-7 which of them each organisation belongs to
    # (member company, training organisation),
    # 8-9 the count and the page of the visible cohorts with their number of trainees,
    # 10 the count of the internships under way at the user's member companies (none
    # here: no page is read), 11-12 the count and the page of the upcoming ones,
    # 13 whether they host events, 14 release savepoint, 15-17 session save in its own
    # savepoint.
    with django_assert_num_queries(17):
        response = client.get(reverse("partenaires:ecoles"))

    assert response.status_code == 200
    assert response.context["cohortes"].page_obj.paginator.count == 2
    a_venir = response.context["stages_a_venir"].page_obj
    assert a_venir.paginator.count == len(stagiaires)
    assert len(a_venir) == min(len(stagiaires), 20)


def test_partner_cohort_page_query_count(
    client, partenaire_a, cohorte_a, stagiaires, django_assert_num_queries
):
    client.force_login(partenaire_a)

    # 1 savepoint (ATOMIC_REQUESTS), 2 session, 3 user,
    # 4 the visible cohort with its track and school, 5 its phases,
    # 6 the count of trainees for the pagination, 7 a page of trainees with their last
    # check-in, host company and exit, 8 the consultation record, 9 whether the user
    # enters attendance in this cohort, 10 release savepoint, 11-13 session save in its
    # own savepoint.
    with django_assert_num_queries(13):
        response = client.get(reverse("partenaires:cohorte", args=[cohorte_a.pk]))

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 2 * len(stagiaires)
    assert len(response.context["stagiaires"]) == min(2 * len(stagiaires), 50)
