"""The attendance grid and the certificate make as many queries with many rows as with few."""

import pytest
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from bench import mesures
from bench.volume import generer
from documents.models import Document
from parcours.models import Cohorte, Inscription
from presences.models import Creneau


# Outside a test transaction, so that each request's own transaction is not a savepoint.
@pytest.mark.django_db(transaction=True)
def test_grid_and_certificate_queries_are_bounded_and_flat_in_rows():
    generer(0.006)
    equipe, admin = mesures.personnes()
    clients = {"equipe": mesures.client_de(equipe), "admin": mesures.client_de(admin)}
    cohortes = (
        Cohorte.objects.filter(
            Exists(Creneau.objects.filter(cohorte=OuterRef("pk"))),
            date_debut__lte=timezone.localdate(),
        )
        .annotate(nb=Count("inscriptions"))
        .filter(nb__gt=0)
        .order_by("nb", "pk")
    )
    petite, grande = cohortes.first(), cohortes.last()
    inscriptions = (
        Inscription.objects.filter(sortie__isnull=False)
        .annotate(nb=Count("presences"))
        .filter(nb__gt=0)
        .order_by("nb", "pk")
    )
    courte, longue = inscriptions.first(), inscriptions.last()

    grilles = [
        mesures.mesurer(clients["equipe"], "grille", mesures.page_des_presences(c)[1], 1).requetes
        for c in (petite, grande)
    ]
    certificats = [
        mesures.mesurer_certificat(clients, inscription, requetes=1).portail.requetes
        for inscription in (courte, longue)
    ]

    assert grande.nb >= petite.nb + 10
    assert longue.nb > 2 * courte.nb
    assert grilles[0] == grilles[1]
    assert certificats[0] == certificats[1]
    assert max(grilles) <= mesures.REQUETES_MAX
    # A write that renders and keeps a PDF, not a page: bounded, above the pages' budget.
    assert max(certificats) <= 20
    # The versions made to measure the certificate are not kept.
    assert not Document.objects.exists()
