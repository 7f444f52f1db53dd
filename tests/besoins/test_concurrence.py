"""Two staff assigning positions at once never exceed a cohort's seats nor a need's
positions (PostgreSQL: SQLite serialises writers on its own)."""

import contextlib
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from besoins import services
from besoins.models import AffectationBesoin
from tests.factories import BesoinFactory, CohorteFactory, EntrepriseFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises writers on its own"
    ),
]


@pytest.fixture(autouse=True)
def attendre_apres_la_verification(monkeypatch):
    """Each assignment, once its check has passed, waits for the other's check: without
    the locks both would pass on the same free seats; with them the second checks only
    after the first has committed, and the first's wait times out."""
    verifier = services.verifier_affectation
    apres_la_verification = threading.Barrier(2, timeout=2)

    def verifier_puis_attendre(**kwargs):
        verifier(**kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            apres_la_verification.wait()

    monkeypatch.setattr(services, "verifier_affectation", verifier_puis_attendre)


def en_meme_temps(requetes):
    """POST each (url, data) from its own thread, released together; the (status, page)
    of each answer, the refusal first."""
    staff = UserFactory()
    barrier = threading.Barrier(len(requetes))
    reponses = []

    def poster(url, data):
        client = Client()
        client.force_login(staff)
        barrier.wait()
        response = client.post(url, data)
        reponses.append((response.status_code, response.content.decode()))
        connections.close_all()

    threads = [threading.Thread(target=poster, args=requete) for requete in requetes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(reponses)


def test_two_needs_taking_the_last_seats_of_a_cohort_at_once_get_one_assignment():
    cohorte = CohorteFactory(places=3)
    ecole = cohorte.parcours.ecole
    entreprises = EntrepriseFactory.create_batch(2)
    ecole.entreprises_adherentes.add(*entreprises)
    besoins = [BesoinFactory(entreprise=e, ecole=ecole, postes=3) for e in entreprises]

    reponses = en_meme_temps(
        [
            (reverse("besoins:affecter", args=[besoin.pk]), {"cohorte": cohorte.pk, "postes": 2})
            for besoin in besoins
        ]
    )

    assert [status for status, _ in reponses] == [200, 302]
    assert "compte 3 places, dont 2 déjà affectées" in reponses[0][1]
    assert AffectationBesoin.objects.count() == 1


def test_two_cohorts_taking_the_last_positions_of_a_need_at_once_get_one_assignment():
    besoin = BesoinFactory(postes=3)
    cohortes = CohorteFactory.create_batch(2, parcours__ecole=besoin.ecole, places=12)

    reponses = en_meme_temps(
        [
            (reverse("besoins:affecter", args=[besoin.pk]), {"cohorte": cohorte.pk, "postes": 2})
            for cohorte in cohortes
        ]
    )

    assert [status for status, _ in reponses] == [200, 302]
    assert "Le besoin compte 3 postes, dont 2 déjà affectés" in reponses[0][1]
    assert AffectationBesoin.objects.count() == 1
