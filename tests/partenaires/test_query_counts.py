"""The partner pages hold their query count along the rows test_queries.py does not vary.

test_queries.py varies the trainees; here the partner's organisations and schools, and
the phases of a cohort.
"""

import pytest
from django.urls import reverse

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
    client.force_login(partenaire)

    # The request's savepoint, the session, the user; the user's organisations with an
    # active membership; the visible schools; which of them each organisation belongs
    # to (member company, training organisation); the visible cohorts with their number
    # of trainees; the upcoming internships at the user's member companies; release;
    # the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(13):
        response = client.get(reverse("partenaires:ecoles"))

    assert len(response.context["organisations"]) == 2 * rows
    assert len(response.context["ecoles"]) == 2 * rows
    assert len(response.context["stages"]) == rows


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
