"""The staff's page of a school: its name, its figures and the way to its planning, needs,
events and calendar feeds."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda import services as agenda
from besoins.services import annuler_besoin
from evenements import services as evenements
from tests.factories import BesoinFactory, EcoleFactory, EntrepriseFactory, EvenementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecole():
    return EcoleFactory(
        nom="École de la Maintenance", ville="Cambrai", entreprises_adherentes=[EntrepriseFactory()]
    )


def remplir(ecole, rows, staff_user):
    entreprise = ecole.entreprises_adherentes.get()
    for _ in range(rows):
        BesoinFactory(entreprise=entreprise, ecole=ecole, postes=2)
        EvenementFactory(ecoles=[ecole])
        agenda.creer_calendrier(
            ecole=ecole, libelle="Équipe", cree_par=staff_user, jeton_creation=uuid.uuid4().hex
        )
    # Not counted: a cancelled need, a past event, a cancelled one, a revoked feed.
    annuler_besoin(besoin=BesoinFactory(entreprise=entreprise, ecole=ecole, postes=7))
    EvenementFactory(ecoles=[ecole], date=timezone.localdate() - datetime.timedelta(days=1))
    evenements.annuler_evenement(evenement=EvenementFactory(ecoles=[ecole]))
    calendrier, _ = agenda.creer_calendrier(
        ecole=ecole, libelle="Ancien", cree_par=staff_user, jeton_creation=uuid.uuid4().hex
    )
    agenda.revoquer_calendrier(calendrier=calendrier, par=staff_user)


def test_the_school_page_gives_its_figures_and_links(client_staff, staff_user, ecole):
    remplir(ecole, 2, staff_user)

    text = client_staff.get(reverse("besoins:ecole", args=[ecole.pk])).text

    assert "<h1>École de la Maintenance — Cambrai</h1>" in text
    assert "2 besoins à pourvoir, soit 4 postes." in text
    assert "2 événements à venir." in text
    assert "2 calendriers actifs." in text
    for lien in [
        reverse("besoins:planification", args=[ecole.pk]),
        f"{reverse('besoins:liste')}?ecole={ecole.pk}",
        f"{reverse('evenements:liste')}?ecole={ecole.pk}",
        reverse("agenda:ecole", args=[ecole.pk]),
    ]:
        assert f'href="{lien}"' in text


def test_an_empty_school_says_so_and_explains_how_to_create_a_feed(client_staff, ecole):
    text = client_staff.get(reverse("besoins:ecole", args=[ecole.pk])).text

    assert "Aucun besoin à pourvoir pour l'instant." in text
    assert "Aucun événement à venir." in text
    assert "Aucun calendrier partagé." in text
    assert "copiez l'adresse d'abonnement" in text


def test_staff_reach_the_school_page_from_the_schools_planning_and_feeds(client_staff, ecole):
    lien = f'href="{reverse("besoins:ecole", args=[ecole.pk])}"'

    for page in [
        reverse("besoins:planification_ecoles"),
        reverse("besoins:planification", args=[ecole.pk]),
        reverse("agenda:ecoles"),
        reverse("agenda:ecole", args=[ecole.pk]),
    ]:
        assert lien in client_staff.get(page).text, page


def test_an_unknown_school_is_a_404(client_staff):
    assert client_staff.get(reverse("besoins:ecole", args=[999_999])).status_code == 404


@pytest.mark.parametrize("rows", [1, 50])
def test_the_school_page_runs_one_query_whatever_its_rows(
    client_staff, django_assert_num_queries, staff_user, ecole, rows
):
    remplir(ecole, rows, staff_user)

    # The request's 7 (savepoint, session, user, release, rolling expiry); the school with
    # its four figures, each a subquery.
    with django_assert_num_queries(8):
        response = client_staff.get(reverse("besoins:ecole", args=[ecole.pk]))

    assert f"{rows} calendrier" in response.text
