import datetime

import pytest
from django.urls import reverse

from presences import services
from presences.models import Creneau, Presence, StatutPresence
from presences.services import Saisie
from tests.factories import (
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    PartenaireFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROWS = pytest.mark.parametrize("rows", [1, 30])
LUNDI = datetime.date(2025, 1, 6)


def cohorte_remplie(rows, semaines, ecole=None):
    """A cohort of `rows` trainees whose first `semaines` weeks are all entered."""
    cohorte = CohorteFactory(date_debut=LUNDI, **({"parcours__ecole": ecole} if ecole else {}))
    inscriptions = InscriptionFactory.create_batch(rows, cohorte=cohorte)
    creneaux = Creneau.objects.filter(
        cohorte=cohorte, date__lt=LUNDI + datetime.timedelta(weeks=semaines)
    )
    services.enregistrer_presences(
        cohorte=cohorte,
        saisies=[
            Saisie(inscription.pk, creneau.pk, StatutPresence.PRESENT)
            for inscription in inscriptions
            for creneau in creneaux
        ],
        par=UserFactory(),
    )
    return cohorte, inscriptions


@ROWS
def test_the_week_grid_queries_do_not_grow_with_trainees_and_weeks(
    client_staff, django_assert_num_queries, rows
):
    cohorte, _ = cohorte_remplie(rows, semaines=1 if rows == 1 else 4)
    url = f"{reverse('presences:grille', args=[cohorte.pk])}?semaine={LUNDI:%Y-%m-%d}"

    # The request's savepoint, the session, the user; the cohort with its school; the
    # week's half-days; its trainees with their exit; their attendance; the week's lock;
    # release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(12):
        response = client_staff.get(url)

    # A page of 25 trainees at most.
    assert len(response.context["rangees"]) == min(rows, 25)
    assert (
        str(
            response.context["form"][
                f"statut-{response.context['rangees'][0]['inscription'].pk}-{response.context['colonnes'][0]['creneau'].pk}"
            ].value()
        )
        == "present"
    )


@ROWS
def test_a_partner_s_week_grid_adds_only_its_rights(client, django_assert_num_queries, rows):
    greta = EntrepriseFactory(organisme_formation=True)
    cohorte, _ = cohorte_remplie(rows, semaines=2, ecole=EcoleFactory(organismes_formation=[greta]))
    client.force_login(PartenaireFactory(appartenance__entreprise=greta))
    url = f"{reverse('presences:grille', args=[cohorte.pk])}?semaine={LUNDI:%Y-%m-%d}"

    # As staff's, with the partner's rights: whether its organisation teaches the school,
    # and its trainees in internship there.
    with django_assert_num_queries(14):
        response = client.get(url)

    assert len(response.context["rangees"]) == min(rows, 25)


@ROWS
def test_saving_a_week_makes_the_same_queries_whatever_its_cells(
    client_staff, django_assert_max_num_queries, rows
):
    cohorte = CohorteFactory(date_debut=LUNDI)
    inscriptions = InscriptionFactory.create_batch(rows, cohorte=cohorte)
    creneaux = list(
        Creneau.objects.filter(cohorte=cohorte, date__lt=LUNDI + datetime.timedelta(days=5))
    )
    data = {f"statut-{i.pk}-{c.pk}": "present" for i in inscriptions for c in creneaux}
    url = f"{reverse('presences:grille', args=[cohorte.pk])}?semaine={LUNDI:%Y-%m-%d}"
    # The grid's first page: 25 trainees at most.
    cellules = min(rows, 25) * len(creneaux)

    # The request's savepoint, the session, the user; the cohort with its school, the
    # week's half-days, its trainees, their attendance and the week's lock (as the GET);
    # the cohort locked; the cells' half-days and trainees; the existing rows locked; the
    # week's lock; the new rows and their history in two savepoints (six); the month's
    # unjustified absences of the trainees counted again (delete, count, and an insert when
    # there are any); release; the session's rolling expiry (savepoint, update, release):
    # 26. SQLite inserts at most 999 values at once, so 300 cells take a few more inserts;
    # PostgreSQL takes them in one.
    with django_assert_max_num_queries(26 if rows == 1 else 33):
        response = client_staff.post(url, data)

    assert response.status_code == 302
    assert Presence.objects.filter(creneau__cohorte=cohorte).count() == cellules


@ROWS
def test_the_trainee_summaries_take_two_queries(django_assert_num_queries, rows):
    cohorte, inscriptions = cohorte_remplie(rows, semaines=3)

    with django_assert_num_queries(2):
        bilans = services.bilans_de_presence(inscriptions)

    assert {bilan.demi_journees for bilan in bilans.values()} == {30}
