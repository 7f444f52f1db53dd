"""Each page of the needs runs a fixed number of queries, whatever its rows.

Every count below holds the request's savepoint, the session and the user, the savepoint's
release, and the session's rolling expiry at the end (savepoint, update, release): 7.
"""

import pytest
from django.urls import reverse

from tests.factories import (
    AffectationBesoinFactory,
    BesoinFactory,
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    PartenaireFactory,
)

pytestmark = pytest.mark.django_db

ROWS = pytest.mark.parametrize("rows", [1, 50])


@pytest.fixture
def ecole():
    entreprise = EntrepriseFactory(nom="Ampere")
    return EcoleFactory(entreprises_adherentes=[entreprise])


def besoins(ecole, rows, **kwargs):
    entreprise = ecole.entreprises_adherentes.get()
    return [BesoinFactory(entreprise=entreprise, ecole=ecole, **kwargs) for _ in range(rows)]


@pytest.fixture
def client_partenaire(client, ecole):
    client.force_login(
        PartenaireFactory(appartenance__entreprise=ecole.entreprises_adherentes.get())
    )
    return client


@ROWS
def test_staff_list(client_staff, django_assert_num_queries, ecole, rows):
    besoins(ecole, rows)

    # The count and the page of needs with their company and school; the schools and the
    # companies of the filters.
    with django_assert_num_queries(11):
        response = client_staff.get(reverse("besoins:liste"))

    assert len(response.context["page_obj"].object_list) == min(rows, 25)


@ROWS
def test_partner_list(client_partenaire, django_assert_num_queries, ecole, rows):
    besoins(ecole, rows)

    # The same, the filters' schools and companies scoped to the partner.
    with django_assert_num_queries(11):
        response = client_partenaire.get(reverse("besoins:mes_besoins"))

    assert len(response.context["page_obj"].object_list) == min(rows, 25)


@ROWS
def test_detail(client_partenaire, django_assert_num_queries, ecole, rows):
    besoin = BesoinFactory(entreprise=ecole.entreprises_adherentes.get(), ecole=ecole, postes=rows)
    for _ in range(rows):
        AffectationBesoinFactory(besoin=besoin, postes=1)

    # The need with its company and school; its assignments with their cohort; its
    # history with its authors.
    with django_assert_num_queries(10):
        response = client_partenaire.get(reverse("besoins:detail", args=[besoin.pk]))

    assert len(response.context["affectations"]) == rows


@ROWS
def test_creation_form(client_staff, django_assert_num_queries, rows):
    EcoleFactory.create_batch(rows, entreprises_adherentes=[EntrepriseFactory()])

    # The companies the user writes for (whether any, then the select's options, read
    # twice by the widget) and the schools of the select.
    with django_assert_num_queries(11):
        response = client_staff.get(reverse("besoins:creer"))

    assert len(response.context["form"].fields["ecole"].choices) == rows + 1


@ROWS
def test_assignment_form(client_staff, django_assert_num_queries, ecole, rows):
    besoin = besoins(ecole, 1)[0]
    for _ in range(rows):
        CohorteFactory(parcours__ecole=ecole)

    # The need; the cohorts of the select with the positions already assigned (twice:
    # whether there are any, then the options).
    with django_assert_num_queries(10):
        response = client_staff.get(reverse("besoins:affecter", args=[besoin.pk]))

    assert len(response.context["form"].fields["cohorte"].choices) == rows + 1


@ROWS
def test_planning_schools(client_staff, django_assert_num_queries, rows):
    for _ in range(rows):
        BesoinFactory()

    # The schools with their needs and positions to fill.
    with django_assert_num_queries(8):
        response = client_staff.get(reverse("besoins:planification_ecoles"))

    assert len(response.context["ecoles"]) == rows


@ROWS
def test_planning_view(client_staff, django_assert_num_queries, ecole, rows):
    besoins(ecole, rows)
    for _ in range(rows):
        cohorte = CohorteFactory(parcours__ecole=ecole)
        InscriptionFactory(cohorte=cohorte)
    CandidatFactory.create_batch(rows, ecole_visee=ecole, statut="preselectionne")

    # The school; one aggregate per figure: positions, seats, expected trainees, the pool;
    # the release of the request's savepoint.
    with django_assert_num_queries(12):
        response = client_staff.get(reverse("besoins:planification", args=[ecole.pk]))

    assert response.context["plan"].postes == 2 * rows
    assert response.context["plan"].vivier == rows


@ROWS
def test_planning_view_of_a_partner(client_partenaire, django_assert_num_queries, ecole, rows):
    besoins(ecole, rows)

    with django_assert_num_queries(12):
        response = client_partenaire.get(reverse("besoins:planification", args=[ecole.pk]))

    assert response.context["plan"].postes == 2 * rows
