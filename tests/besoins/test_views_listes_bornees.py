"""Issue 16: the needs list counts and pages over a bounded number of rows."""

import pytest
from django.urls import reverse

from tests.factories import BesoinFactory
from tests.pages import texte

pytestmark = pytest.mark.django_db
LISTE = reverse("besoins:liste")


def test_needs_list_past_the_bound_says_plus_de_and_stops_at_the_last_bounded_page(
    client_staff, borne
):
    BesoinFactory.create_batch(7)

    premiere = texte(client_staff.get(LISTE))
    profonde = texte(client_staff.get(LISTE, {"page": 9}))

    assert "plus de 5 besoins" in premiere
    assert "Page 1 sur 3" in premiere
    assert "Page 3 sur 3" in profonde


def test_needs_list_within_the_bound_shows_the_exact_count(client_staff, borne):
    BesoinFactory.create_batch(5)

    page = texte(client_staff.get(LISTE))

    assert "5 besoins" in page
    assert "plus de" not in page


@pytest.mark.parametrize("rows", [1, 50])
def test_needs_list_queries_do_not_grow_with_the_rows(
    client_staff, django_assert_num_queries, borne, rows
):
    BesoinFactory.create_batch(rows)

    # As tests/besoins/test_query_counts.py: the bounded COUNT replaces the full one.
    with django_assert_num_queries(11):
        response = client_staff.get(LISTE)

    assert response.status_code == 200
