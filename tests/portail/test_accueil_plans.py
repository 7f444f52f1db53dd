"""Issue 16: on PostgreSQL the home page's overdue check-ins are read by a plan that stops at
the bound, not one that counts or sorts every trainee of twelve months first."""

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


# The planner may hand the months to parallel workers, or not, as its statistics go: both
# plans are checked, the second with parallel workers made free.
PLANS = {
    "serie": [],
    "parallele": [
        "SET LOCAL parallel_setup_cost = 0",
        "SET LOCAL parallel_tuple_cost = 0",
        "SET LOCAL min_parallel_index_scan_size = 0",
        "SET LOCAL min_parallel_table_scan_size = 0",
    ],
}


TABLES = ["parcours_inscription", "parcours_cohorte", "parcours_sortie", "parcours_suivi"]
# Ways of reading a table through one of its indexes.
PAR_UN_INDEX = {"Index Scan", "Index Only Scan", "Bitmap Heap Scan"}


def plan_of(queryset, reglages):
    """The plan's nodes, from the top down (each node a dict of EXPLAIN's JSON)."""
    sql, params = queryset.query.sql_with_params()
    return plans.plan_of(sql, params, TABLES, reglages)


def noeuds(noeud):
    for un_noeud, _ in plans.noeuds(noeud):
        yield un_noeud


@pytest.mark.parametrize("reglages", PLANS.values(), ids=PLANS.keys())
def test_overdue_rows_are_read_by_a_plan_that_stops_at_the_bound(staff_user, reglages):
    today = timezone.localdate()
    InscriptionFactory.create_batch(
        3, cohorte=CohorteFactory(date_debut=today - datetime.timedelta(weeks=12))
    )
    inscriptions = Inscription.objects.visibles_par(User.objects.get(pk=staff_user.pk))

    racine = plan_of(
        echeances.suivis_en_retard(inscriptions, today)[: pagination.LIGNES_PARCOURUES + 1],
        reglages,
    )

    # Above the months' Append only the Limit (and a Gather of parallel workers): no Sort
    # nor Aggregate that would need every month read to the end before the first row.
    assert racine["Node Type"] == "Limit"
    au_dessus, noeud = [], racine
    while "Append" not in noeud["Node Type"]:
        au_dessus.append(noeud["Node Type"])
        (noeud,) = noeud["Plans"]
    assert set(au_dessus) <= {"Limit", "Gather"}
    # Each month is an anti-join that looks for its check-ins through an index (row by
    # row, or as a bitmap: the planner picks either on tables this small).
    mois = noeud["Plans"]
    assert len(mois) == echeances.MOIS_SURVEILLES
    for branche in mois:
        sous_noeuds = list(noeuds(branche))
        assert any(n.get("Join Type") == "Anti" for n in sous_noeuds)
        assert any(
            n["Node Type"] in PAR_UN_INDEX and n.get("Relation Name") == "parcours_suivi"
            for n in sous_noeuds
        )
