"""Typing a track's phases in the admin: an empty "Ordre" follows the rows above it."""

from django.urls import reverse

from ecoles.models import Filiere
from parcours.models import Parcours, TypePhase
from tests.factories import EcoleFactory


def phases(*lignes):
    donnees = {
        "phases-TOTAL_FORMS": str(len(lignes)),
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "1000",
    }
    for index, (ordre, type_, intitule, semaines) in enumerate(lignes):
        donnees |= {
            f"phases-{index}-ordre": ordre,
            f"phases-{index}-type": type_,
            f"phases-{index}-intitule": intitule,
            f"phases-{index}-duree_semaines": semaines,
        }
    return donnees


def test_phases_left_unnumbered_are_numbered_in_the_order_typed(admin_client):
    ecole = EcoleFactory()

    response = admin_client.post(
        reverse("admin:parcours_parcours_add"),
        {
            "ecole": ecole.pk,
            "nom": "Conduite de ligne",
            "filiere": Filiere.values[0],
            "actif": "on",
            **phases(
                ("", TypePhase.THEORIE, "Théorie 1", "6"),
                ("", TypePhase.STAGE, "Stage chez Ampere", "5"),
                ("", TypePhase.THEORIE, "Théorie 2", "10"),
            ),
        },
    )

    assert response.status_code == 302, response.context["errors"]
    parcours = Parcours.objects.get(nom="Conduite de ligne")
    assert list(parcours.phases.order_by("ordre").values_list("ordre", "intitule")) == [
        (1, "Théorie 1"),
        (2, "Stage chez Ampere"),
        (3, "Théorie 2"),
    ]


def test_an_unnumbered_phase_follows_the_numbered_row_above_it(admin_client):
    ecole = EcoleFactory()

    admin_client.post(
        reverse("admin:parcours_parcours_add"),
        {
            "ecole": ecole.pk,
            "nom": "Maintenance",
            "filiere": Filiere.values[0],
            "actif": "on",
            **phases(
                ("10", TypePhase.THEORIE, "Théorie", "6"),
                ("", TypePhase.STAGE, "Stage", "5"),
            ),
        },
    )

    parcours = Parcours.objects.get(nom="Maintenance")
    assert list(parcours.phases.order_by("ordre").values_list("ordre", "intitule")) == [
        (10, "Théorie"),
        (11, "Stage"),
    ]
