"""Issue 16: on PostgreSQL the to-do lists of the home page and « À faire » (overdue
check-ins, exits to record, internships without a host) are read from their tables
through one index, in the page's order: no trainee of twelve months is looked at, nothing
is sorted, the reading stops at the bound."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from comptes.models import User
from parcours import echeances
from parcours.models import Inscription
from portail import pagination
from tests import plans
from tests.factories import CohorteFactory, InscriptionFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN de PostgreSQL"),
]

TABLES = ["parcours_suivimanquant"]


# On tables this small a sort costs next to nothing and the planner may take it over an
# index: sorts are made dear, so that a plan sorts only when no index gives the order.
SANS_TRI = ["SET LOCAL enable_sort = off"]


def plan_of(queryset):
    sql, params = queryset.query.sql_with_params()
    return plans.plan_of(sql, params, TABLES, SANS_TRI)


@pytest.fixture
def manquants(staff_user):
    today = timezone.localdate()
    for semaines in [12, 30]:
        InscriptionFactory.create_batch(
            3, cohorte=CohorteFactory(date_debut=today - datetime.timedelta(weeks=semaines))
        )
    return echeances.en_retard(User.objects.get(pk=staff_user.pk), today)


def index_lus(racine):
    return {noeud["Index Name"] for noeud, _ in plans.noeuds(racine) if "Index Name" in noeud}


def test_the_months_are_read_through_the_index_up_to_the_bound(manquants):
    racine = plan_of(manquants.order_by().values("mois")[: pagination.LIGNES_PARCOURUES + 1])

    # No order asked: the planner may read the index row by row or as a bitmap.
    assert racine["Node Type"] == "Limit"
    assert index_lus(racine) == {"suivi_manquant_ordre_idx"}
    assert not [n for n, _ in plans.noeuds(racine) if n["Node Type"] in {"Sort", "Aggregate"}]


def test_the_first_rows_come_in_the_index_order_with_nothing_sorted(manquants):
    racine = plan_of(manquants.dans_l_ordre()[:10])

    assert racine["Node Type"] == "Limit"
    (lecture,) = racine["Plans"]
    assert lecture["Node Type"] in {"Index Scan", "Index Only Scan"}
    assert lecture["Index Name"] == "suivi_manquant_ordre_idx"
    assert not [n for n, _ in plans.noeuds(racine) if "Sort" in n["Node Type"]]


def test_the_exits_to_record_come_in_the_index_order_with_nothing_sorted(staff_user):
    today = timezone.localdate()
    for semaines in [40, 60]:
        InscriptionFactory.create_batch(
            3, cohorte=CohorteFactory(date_debut=today - datetime.timedelta(weeks=semaines))
        )
    inscriptions = Inscription.objects.visibles_par(User.objects.get(pk=staff_user.pk))
    sql, params = inscriptions.sans_sortie_enregistree(today)[:10].query.sql_with_params()

    racine = plans.plan_of(
        sql, params, ["parcours_sortieattendue", "parcours_inscription"], SANS_TRI
    )

    assert racine["Node Type"] == "Limit"
    assert "sortie_attendue_ordre_idx" in index_lus(racine)
    assert not [n for n, _ in plans.noeuds(racine) if "Sort" in n["Node Type"]]


def test_the_internships_without_a_host_are_read_from_their_table_not_from_the_internships(
    staff_user,
):
    today = timezone.localdate()
    InscriptionFactory.create_batch(3, cohorte=CohorteFactory(date_debut=today))
    inscriptions = Inscription.objects.visibles_par(User.objects.get(pk=staff_user.pk))
    lecture = inscriptions.sans_entreprise_de_stage(today).order_by()[
        : pagination.LIGNES_PARCOURUES + 1
    ]
    sql, params = lecture.query.sql_with_params()

    racine = plans.plan_of(sql, params, ["parcours_stagesansentreprise", "parcours_inscription"])

    lues = {n.get("Relation Name") for n, _ in plans.noeuds(racine)}
    assert "parcours_stagesansentreprise" in lues
    assert "parcours_stage" not in lues
