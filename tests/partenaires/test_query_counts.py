"""The partner pages hold their query count along the rows test_queries.py does not vary.

test_queries.py varies the trainees; here the partner's organisations and schools, and
the phases of a cohort.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.models import TypePhase
from tests.factories import (
    AppartenanceFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    PartenaireFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
# The Béthune track: 6 weeks of theory, then the internship.
EN_STAGE = TODAY - datetime.timedelta(weeks=7)

ROWS = pytest.mark.parametrize("rows", [1, 50])


@ROWS
def test_my_schools_queries_do_not_grow_with_organisations_and_schools(
    client, django_assert_num_queries, rows
):
    partenaire = UserFactory(partenaire=True)
    for _ in range(rows):
        adherente = EntrepriseFactory()
        organisme = EntrepriseFactory(organisme_formation=True)
        AppartenanceFactory(user=partenaire, entreprise=adherente)
        AppartenanceFactory(user=partenaire, entreprise=organisme)
        ecole = EcoleFactory(entreprises_adherentes=[adherente])
        EcoleFactory(organismes_formation=[organisme])
        StageFactory(inscription__cohorte=CohorteFactory(parcours__ecole=ecole))
        StageFactory(
            inscription__cohorte=CohorteFactory(parcours__ecole=ecole, date_debut=EN_STAGE)
        )
    client.force_login(partenaire)

    # The request's savepoint, the session, the user; the user's organisations with an
    # active membership; the visible schools; which of them each organisation belongs
    # to (member company, training organisation); the count and the page of the visible
    # cohorts with their number of trainees; the count and the page of the internships
    # under way at the user's member companies, then of the upcoming ones; whether they
    # host events; release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(18):
        response = client.get(reverse("partenaires:ecoles"))

    assert len(response.context["organisations"]) == 2 * rows
    assert len(response.context["ecoles"]) == 2 * rows
    assert response.context["cohortes"].page_obj.paginator.count == 2 * rows
    assert response.context["stages_en_cours"].page_obj.paginator.count == rows
    assert response.context["stages_a_venir"].page_obj.paginator.count == rows


@ROWS
def test_the_home_of_a_training_organisation_of_six_schools_is_paginated(
    client, django_assert_num_queries, rows
):
    organisme = EntrepriseFactory(organisme_formation=True)
    for _ in range(6):
        ecole = EcoleFactory(organismes_formation=[organisme])
        parcours = ParcoursFactory(ecole=ecole)
        for semaines in range(rows):
            cohorte = CohorteFactory(
                parcours=parcours, date_debut=TODAY - datetime.timedelta(weeks=semaines)
            )
            InscriptionFactory(cohorte=cohorte)
    client.force_login(PartenaireFactory(appartenance__entreprise=organisme))

    # The request's savepoint, the session, the user; the organisations; the schools;
    # which of them each organisation belongs to (two); the count and the page of the
    # cohorts; whether it hosts events; release; the session's expiry (three).
    with django_assert_num_queries(14):
        response = client.get(reverse("partenaires:ecoles"))

    assert len(response.context["ecoles"]) == 6
    page = response.context["cohortes"].page_obj
    assert page.paginator.count == 6 * rows
    assert len(page) == min(6 * rows, 20)
    prefixe = reverse("partenaires:cohorte", args=[0]).removesuffix("0/")
    assert response.content.decode().count(f'<a href="{prefixe}') == len(page)


@ROWS
def test_partner_cohort_page_queries_do_not_grow_with_the_phases(
    client, django_assert_num_queries, rows
):
    entreprise = EntrepriseFactory()
    parcours = ParcoursFactory(
        ecole=EcoleFactory(entreprises_adherentes=[entreprise]),
        phases=[
            (TypePhase.STAGE if numero % 2 else TypePhase.THEORIE, f"Phase {numero}", 1)
            for numero in range(1, rows + 1)
        ],
    )
    cohorte = CohorteFactory(parcours=parcours)
    InscriptionFactory(cohorte=cohorte)
    client.force_login(PartenaireFactory(appartenance__entreprise=entreprise))

    # The request's savepoint, the session, the user; the visible cohort with its track
    # and school; its phases; the count of trainees for the pagination; the page of
    # trainees; the consultation record; whether the user enters attendance in this
    # cohort; release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(13):
        response = client.get(reverse("partenaires:cohorte", args=[cohorte.pk]))

    assert len(response.context["phases"]) == rows
    assert len(response.context["stagiaires"]) == 1
