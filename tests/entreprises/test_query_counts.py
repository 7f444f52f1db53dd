"""The staff pages about partner accounts run a fixed number of queries.

The list and the organisation page have theirs beside their other tests (test_views.py).
Neither form lists the accounts of the organisation: the tests make sure they are not read.
"""

import pytest
from django.urls import reverse

from tests.factories import AppartenanceFactory, EntrepriseFactory, PartenaireFactory

pytestmark = pytest.mark.django_db

ROWS = pytest.mark.parametrize("rows", [1, 50])


@ROWS
def test_account_creation_form_queries_do_not_grow_with_the_accounts(
    client_staff, django_assert_num_queries, rows
):
    entreprise = EntrepriseFactory()
    AppartenanceFactory.create_batch(rows, entreprise=entreprise)

    # The request's savepoint and release; the session, the user; the organisation; the
    # session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(8):
        response = client_staff.get(reverse("entreprises:creer_compte", args=[entreprise.pk]))

    assert entreprise.nom in response.text


@ROWS
@pytest.mark.parametrize("active", [True, False], ids=["active", "deactivated"])
def test_deactivation_page_queries_do_not_grow_with_the_memberships(
    client_staff, django_assert_num_queries, rows, active
):
    partenaire = PartenaireFactory()
    appartenance = partenaire.appartenances.get()
    for _ in range(rows):
        AppartenanceFactory(entreprise=appartenance.entreprise)
        AppartenanceFactory(user=partenaire)
    if not active:
        appartenance.desactiver()
    url = reverse("entreprises:desactiver_appartenance", args=[appartenance.pk])

    # The request's savepoint, the session, the user; the membership with its user and
    # organisation; release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(8):
        response = client_staff.get(url)

    assert ("Désactiver l'accès</button>" in response.text) is active
