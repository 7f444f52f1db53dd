"""Issue 16: the event and immersion lists count and page over a bounded number of rows."""

import pytest
from django.urls import reverse

from tests.factories import CandidatFactory, EvenementFactory
from tests.pages import texte

pytestmark = pytest.mark.django_db
LISTE = reverse("evenements:liste")


def test_event_list_past_the_bound_says_plus_de_and_stops_at_the_last_bounded_page(
    client_staff, borne
):
    EvenementFactory.create_batch(7)

    premiere = texte(client_staff.get(LISTE))
    profonde = texte(client_staff.get(LISTE, {"page": 9}))

    assert "plus de 5 événements" in premiere
    assert "Page 1 sur 3" in premiere
    assert "précisez la recherche ou les filtres" in premiere
    assert "Page 3 sur 3" in profonde


def test_event_list_within_the_bound_shows_the_exact_count(client_staff, borne):
    EvenementFactory.create_batch(5)

    page = texte(client_staff.get(LISTE))

    assert "5 événements" in page
    assert "plus de" not in page


def test_participant_search_past_the_bound_says_plus_de(client_staff, borne):
    evenement = EvenementFactory()
    for number in range(7):
        CandidatFactory(nom=f"Martin{number}")

    page = texte(
        client_staff.get(
            reverse("evenements:choisir_participant", args=[evenement.pk]), {"q": "ma"}
        )
    )

    assert "plus de 5 candidats non encore inscrits" in page


@pytest.mark.parametrize("rows", [1, 50])
def test_event_list_queries_do_not_grow_with_the_rows(
    client_staff, django_assert_num_queries, borne, rows
):
    EvenementFactory.create_batch(rows)

    # The request's savepoint, the session, the user; the schools of the filter, the
    # paginator's bounded count, the page of events, their schools; release; the
    # session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(11):
        response = client_staff.get(LISTE)

    assert response.status_code == 200
