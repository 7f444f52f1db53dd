"""Two writers counting the same day again at once: the second waits for the first and
counts its candidate too (PostgreSQL: SQLite serialises writers on its own)."""

import contextlib
import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models import Sum

from indicateurs import agregats
from indicateurs.models import AgregatCandidatsJour
from tests.factories import CandidatFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises writers on its own"
    ),
]


@pytest.fixture(autouse=True)
def attendre_avant_de_recompter(monkeypatch):
    """Each writer, before it counts the day again, waits for the other: without the lock
    both would count without the other's candidate and both insert the day's rows; with
    it the second counts only after the first has committed, and the first's wait times
    out."""
    recompter = agregats._recompter_jours
    avant_de_recompter = threading.Barrier(2, timeout=2)

    def attendre_puis_recompter(jours):
        with contextlib.suppress(threading.BrokenBarrierError):
            avant_de_recompter.wait()
        recompter(jours)

    monkeypatch.setattr(agregats, "_recompter_jours", attendre_puis_recompter)


def test_two_candidates_added_at_once_on_one_day_both_count():
    erreurs = []
    depart = threading.Barrier(2)

    def ajouter(nom):
        try:
            depart.wait()
            with transaction.atomic():
                CandidatFactory(nom=nom)
        except Exception as erreur:  # noqa: BLE001 - reported by the assertion below
            erreurs.append(erreur)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ajouter, args=[nom]) for nom in ("Avril", "Mai")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert erreurs == []
    programme = AgregatCandidatsJour.objects.filter(ecole__isnull=True, filiere="")
    assert programme.aggregate(sources=Sum("sources"))["sources"] == 2
