import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from candidats.models import Candidat
from parcours.dates import add_months
from parcours.models import dernier_mois_echu
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    InscriptionFactory,
    SortieFactory,
    SuiviFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("portail:accueil")


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_partner_is_sent_to_its_schools(client, partner_user):
    client.force_login(partner_user)

    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == reverse("partenaires:ecoles")


def test_staff_sees_an_empty_home_page_with_helpful_states(client_staff):
    response = client_staff.get(URL)

    assert response.status_code == 200
    assert "Aucune cohorte en cours aujourd'hui." in response.text
    assert "Aucune sortie en attente." in response.text


def a_cohort_running_since_three_months():
    debut = add_months(timezone.localdate(), -3).replace(day=1)
    return CohorteFactory(date_debut=debut, nom="Promotion Béthune 2026")


def test_staff_sees_trainees_whose_check_in_is_overdue(client_staff):
    cohorte = a_cohort_running_since_three_months()
    oublie = InscriptionFactory(cohorte=cohorte, candidat__nom="Oubliéduzèle")
    suivi = InscriptionFactory(cohorte=cohorte, candidat__nom="Bienvenu")
    SuiviFactory(inscription=suivi, mois=dernier_mois_echu())

    response = client_staff.get(URL)

    overdue = response.text.split('id="suivis-en-retard"')[1].split("</article>")[0]
    assert oublie.candidat.nom in overdue
    assert "Bienvenu" not in overdue


def test_staff_sees_cohorts_in_progress_with_the_phase_of_the_day(client_staff):
    cohorte = CohorteFactory(date_debut=timezone.localdate() - datetime.timedelta(days=3))
    CohorteFactory(date_debut=timezone.localdate() + datetime.timedelta(days=30), nom="Futur")
    phase = cohorte.phase_du_jour()

    response = client_staff.get(URL)

    in_progress = response.text.split('id="cohortes-en-cours"')[1].split("</article>")[0]
    assert cohorte.nom in in_progress
    assert phase.intitule in in_progress
    assert "Futur" not in in_progress


def test_staff_sees_trainees_of_ended_cohorts_without_a_recorded_exit(client_staff):
    ended = CohorteFactory(date_debut=timezone.localdate() - datetime.timedelta(weeks=40))
    waiting = InscriptionFactory(cohorte=ended, candidat__nom="Sanssortie")
    SortieFactory(inscription__cohorte=ended, inscription__candidat__nom="Sortidéjà")

    response = client_staff.get(URL)

    exits = response.text.split('id="sorties-a-saisir"')[1].split("</article>")[0]
    assert waiting.candidat.nom in exits
    assert "Sortidéjà" not in exits


def test_staff_sees_preselected_candidates_not_yet_enrolled(client_staff):
    CandidatFactory(nom="Attendlaplace", statut=Candidat.Statut.PRESELECTIONNE)
    CandidatFactory(nom="Acontacter", statut=Candidat.Statut.A_CONTACTER)
    InscriptionFactory(candidat__nom="Dejainscrit", candidat__statut=Candidat.Statut.PRESELECTIONNE)

    response = client_staff.get(URL)

    waiting = response.text.split('id="preselectionnes"')[1].split("</article>")[0]
    assert "Attendlaplace" in waiting
    assert "Acontacter" not in waiting
    assert "Dejainscrit" not in waiting


@pytest.mark.parametrize("rows", [1, 50])
def test_home_page_queries_do_not_grow_with_rows(client_staff, django_assert_num_queries, rows):
    cohorte = a_cohort_running_since_three_months()
    ended = CohorteFactory(date_debut=timezone.localdate() - datetime.timedelta(weeks=40))
    for _ in range(rows):
        InscriptionFactory(cohorte=cohorte)
        InscriptionFactory(cohorte=ended)
        CandidatFactory(statut=Candidat.Statut.PRESELECTIONNE)

    # The request's savepoint, session and user; the first overdue check-ins with
    # their total, then their candidates; the first cohorts in progress with their
    # total, then their phase of the day; the first exits to record with their total,
    # then their candidates; the first pre-selected candidates and their count; release;
    # the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(15):
        response = client_staff.get(URL)

    assert response.status_code == 200


def test_home_page_shows_the_first_running_cohorts_and_links_to_all(client_staff):
    for _ in range(12):
        CohorteFactory(date_debut=timezone.localdate() - datetime.timedelta(days=3))

    response = client_staff.get(URL)

    in_progress = response.text.split('id="cohortes-en-cours"')[1].split("</article>")[0]
    assert in_progress.count("<tr>") == 1 + 10
    assert "Voir les 12 cohortes en cours" in in_progress
    assert f"{reverse('parcours:cohortes')}?etat=en_cours" in in_progress
