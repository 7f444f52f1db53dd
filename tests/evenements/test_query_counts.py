"""Every page of events and immersions costs the same number of queries for 1 and 50 rows.

Each count includes the request's savepoint, session and user (3), its release, and the
session's rolling expiry (3): 7 queries around the page's own.
"""

import pytest
from django.urls import reverse

from evenements.models import ResultatImmersion
from tests.factories import (
    CandidatFactory,
    EcoleFactory,
    EntrepriseFactory,
    EvenementFactory,
    ImmersionFactory,
    PartenaireFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db
ROWS = pytest.mark.parametrize("rows", [1, 50])


@pytest.fixture
def hote():
    return EntrepriseFactory(nom="Ampere")


def des_evenements(rows, hote):
    ecoles = EcoleFactory.create_batch(2)
    evenements = [
        EvenementFactory(capacite=60, ecoles=ecoles, entreprises_hotes=[hote]) for _ in range(rows)
    ]
    for _ in range(rows):
        ParticipationFactory(evenement=evenements[0], candidat__nom="Dupont")
    # Not registered yet: the picker's search finds them.
    CandidatFactory.create_batch(rows, nom="Dupont")
    return evenements


# Page: its own queries (the event, its prefetches, the rows, the count).
STAFF_PAGES = {
    # the schools of the filter, the count, the page of events, their schools
    "liste": (lambda e, c, i: reverse("evenements:liste"), 11),
    # the event with its seats, its schools, its companies, the participants and their count
    "detail": (lambda e, c, i: reverse("evenements:detail", args=[e.pk]), 12),
    # the event, the count of matches, the page of candidates
    "choisir_participant": (
        lambda e, c, i: reverse("evenements:choisir_participant", args=[e.pk]) + "?q=dupont",
        10,
    ),
    # the event, the schools of the form
    "nouveau_participant": (
        lambda e, c, i: reverse("evenements:nouveau_participant", args=[e.pk]),
        9,
    ),
    # the event, its participants
    "presences": (lambda e, c, i: reverse("evenements:presences", args=[e.pk]), 9),
    # the event
    "import_presences": (lambda e, c, i: reverse("evenements:import_presences", args=[e.pk]), 8),
    # the event, the schools and companies of the form, those selected
    "modifier": (lambda e, c, i: reverse("evenements:modifier", args=[e.pk]), 12),
    "supprimer": (lambda e, c, i: reverse("evenements:supprimer", args=[e.pk]), 8),
    "creer": (lambda e, c, i: reverse("evenements:creer"), 9),
    # the count and the page of immersions with candidate and company, the companies of
    # the filter
    "immersions": (lambda e, c, i: reverse("evenements:immersions"), 10),
    # the candidate, the companies of the form
    "immersion_creer": (lambda e, c, i: reverse("evenements:immersion_creer", args=[c.pk]), 9),
    "immersion_modifier": (
        lambda e, c, i: reverse("evenements:immersion_modifier", args=[i.pk]),
        9,
    ),
    "preselectionner": (lambda e, c, i: reverse("evenements:preselectionner", args=[i.pk]), 8),
}


@ROWS
@pytest.mark.parametrize("page", sorted(STAFF_PAGES))
def test_staff_pages_stay_flat(client_staff, django_assert_num_queries, hote, rows, page):
    evenements = des_evenements(rows, hote)
    candidat = CandidatFactory()
    immersions = [
        ImmersionFactory(resultat=ResultatImmersion.CONCLUANTE, entreprise=hote)
        for _ in range(rows if "immersion" in page else 1)
    ]
    url, attendu = STAFF_PAGES[page]
    url = url(evenements[0], candidat, immersions[0])

    with django_assert_num_queries(attendu):
        response = client_staff.get(url)

    assert response.status_code == 200


@ROWS
@pytest.mark.parametrize(("page", "attendu"), [("accueillis", 10), ("accueilli", 11)])
def test_partner_pages_stay_flat(client, django_assert_num_queries, hote, rows, page, attendu):
    evenements = des_evenements(rows, hote)
    client.force_login(PartenaireFactory(appartenance__entreprise=hote))
    args = [evenements[0].pk] if page == "accueilli" else []

    with django_assert_num_queries(attendu):
        response = client.get(reverse(f"evenements:{page}", args=args))

    assert response.status_code == 200
    assert "Dupont" in response.text or page == "accueillis"
