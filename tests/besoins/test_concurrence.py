"""Two staff assigning positions at once never exceed a cohort's seats nor a need's
positions (PostgreSQL: SQLite serialises writers on its own)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from besoins.models import AffectationBesoin
from tests.factories import BesoinFactory, CohorteFactory, EntrepriseFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises writers on its own"
    ),
]


def en_meme_temps(requetes):
    """POST each (url, data) from its own thread, released together; the statuses."""
    staff = UserFactory()
    barrier = threading.Barrier(len(requetes))
    statuses = []

    def poster(url, data):
        client = Client()
        client.force_login(staff)
        barrier.wait()
        statuses.append(client.post(url, data).status_code)
        connections.close_all()

    threads = [threading.Thread(target=poster, args=requete) for requete in requetes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def test_two_needs_taking_the_last_seats_of_a_cohort_at_once_get_one_assignment():
    cohorte = CohorteFactory(places=3)
    ecole = cohorte.parcours.ecole
    entreprises = EntrepriseFactory.create_batch(2)
    ecole.entreprises_adherentes.add(*entreprises)
    besoins = [BesoinFactory(entreprise=e, ecole=ecole, postes=3) for e in entreprises]

    statuses = en_meme_temps(
        [
            (reverse("besoins:affecter", args=[besoin.pk]), {"cohorte": cohorte.pk, "postes": 2})
            for besoin in besoins
        ]
    )

    assert statuses == [200, 302]
    assert AffectationBesoin.objects.count() == 1


def test_two_cohorts_taking_the_last_positions_of_a_need_at_once_get_one_assignment():
    besoin = BesoinFactory(postes=3)
    cohortes = CohorteFactory.create_batch(2, parcours__ecole=besoin.ecole, places=12)

    statuses = en_meme_temps(
        [
            (reverse("besoins:affecter", args=[besoin.pk]), {"cohorte": cohorte.pk, "postes": 2})
            for cohorte in cohortes
        ]
    )

    assert statuses == [200, 302]
    assert AffectationBesoin.objects.count() == 1
