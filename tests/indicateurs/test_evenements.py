"""The funnel from the events on the indicators page, on a fixture counted by hand."""

import datetime

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidats.models import CanalSourcing, Candidat
from evenements.models import Participation, StatutParticipation, TypeEvenement
from indicateurs.evenements import entonnoir_des_evenements
from indicateurs.stats import Periode
from parcours.models import Situation, Sortie
from tests.agenda.helpers import evenement
from tests.factories import CandidatFactory, CohorteFactory, EcoleFactory, SortieFactory

from .pages import section, table_rows

pytestmark = pytest.mark.django_db
URL = reverse("indicateurs:tableau")
ANNEE_2025 = {"debut": "2025-01-01", "fin": "2025-12-31"}


def sortie(candidat, situation, *, fin_contrat=None, motif=Sortie.Motif.FIN_PARCOURS):
    contrat = (
        {"date_fin_contrat": factory.LazyAttribute(lambda s: s.date_debut_contrat + fin_contrat)}
        if fin_contrat
        else {}
    )
    return SortieFactory(
        inscription__candidat=candidat,
        inscription__cohorte=CohorteFactory(date_debut=datetime.date(2025, 4, 7)),
        situation=situation,
        motif=motif,
        **contrat,
    )


def participe(candidat, *evenements, statut=StatutParticipation.PRESENT):
    for un_evenement in evenements:
        Participation.objects.create(evenement=un_evenement, candidat=candidat, statut=statut)


@pytest.fixture
def monde():
    """Two schools and their 2025 events, with candidates counted by hand.

    E1 job dating (Cambrai), E2 forum (Cambrai and Douai), E3 information (Douai); E4 a
    2024 job dating and E5 a cancelled forum, both left out.
    c1: at E1, kept, out into a CDI. c2: absent at E1, nothing else. c3: not a participant
    but E1 is their source, pre-selected. c4: at E1 and E2 (source E2), enrolled, dropped
    out. c5: registered at E3, enrolled, out into a 5-month CDD (transition). c6 only at
    E4, c7 only at E5, c8 never at an event.
    """
    cambrai = EcoleFactory(nom="École de la Maintenance", ville="Cambrai")
    douai = EcoleFactory(nom="École de la Logistique", ville="Douai")
    e1 = evenement(cambrai, type=TypeEvenement.JOB_DATING, date=datetime.date(2025, 3, 10))
    e2 = evenement(cambrai, type=TypeEvenement.FORUM, date=datetime.date(2025, 5, 20))
    e2.ecoles.add(douai)
    e3 = evenement(douai, type=TypeEvenement.INFORMATION, date=datetime.date(2025, 6, 2))
    e4 = evenement(cambrai, type=TypeEvenement.JOB_DATING, date=datetime.date(2024, 11, 5))
    e5 = evenement(
        cambrai,
        type=TypeEvenement.FORUM,
        date=datetime.date(2025, 9, 1),
        annule_le=timezone.now(),
    )
    venu = {"canal": CanalSourcing.EVENEMENT}

    c1 = CandidatFactory(statut=Candidat.Statut.RETENU, **venu)
    participe(c1, e1)
    sortie(c1, Situation.CDI)
    participe(CandidatFactory(**venu), e1, statut=StatutParticipation.ABSENT)
    CandidatFactory(statut=Candidat.Statut.PRESELECTIONNE, evenement_source=e1, **venu)
    c4 = CandidatFactory(statut=Candidat.Statut.RETENU, evenement_source=e2, **venu)
    participe(c4, e1, e2)
    sortie(c4, Situation.RECHERCHE_EMPLOI, motif=Sortie.Motif.ABANDON)
    c5 = CandidatFactory(**venu)
    participe(c5, e3, statut=StatutParticipation.INSCRIT)
    sortie(c5, Situation.CDD, fin_contrat=datetime.timedelta(days=150))
    participe(CandidatFactory(statut=Candidat.Statut.RETENU, **venu), e4)
    participe(CandidatFactory(statut=Candidat.Statut.RETENU, **venu), e5)
    CandidatFactory(statut=Candidat.Statut.RETENU)
    return {"cambrai": cambrai, "douai": douai}


def test_funnel_by_event_type_with_the_total(client_staff, monde):
    response = client_staff.get(URL, ANNEE_2025)

    assert table_rows(response, "table-evenements-par-type") == [
        ["Réunion d'information", "1", "1", "1 (100 %)", "1 (100 %)", "1 (100 %)"],
        ["Job dating", "1", "4", "3 (75 %)", "2 (66,7 %)", "1 (50 %)"],
        ["Forum", "1", "1", "1 (100 %)", "1 (100 %)", "0 (0 %)"],
        # Five candidates, not six: c4 came from a job dating and a forum.
        ["Tous les événements", "3", "5", "4 (80 %)", "3 (75 %)", "2 (66,7 %)"],
    ]


def test_funnel_by_school_counts_a_shared_event_for_each_school(client_staff, monde):
    response = client_staff.get(URL, ANNEE_2025)

    assert table_rows(response, "table-evenements-par-ecole") == [
        ["École de la Maintenance — Cambrai", "2", "4", "3 (75 %)", "2 (66,7 %)", "1 (50 %)"],
        ["École de la Logistique — Douai", "2", "2", "2 (100 %)", "2 (100 %)", "1 (50 %)"],
    ]


def test_events_and_participants_per_year(client_staff, monde):
    response = client_staff.get(URL, {"debut": "2024-01-01", "fin": "2025-12-31"})

    assert table_rows(response, "table-evenements-par-annee") == [
        ["2024", "1", "1", "1"],
        ["2025", "3", "5", "3"],
    ]


def test_school_filter_keeps_that_schools_events(client_staff, monde):
    response = client_staff.get(URL, {**ANNEE_2025, "ecole": monde["douai"].pk})

    assert table_rows(response, "table-evenements-par-type") == [
        ["Réunion d'information", "1", "1", "1 (100 %)", "1 (100 %)", "1 (100 %)"],
        ["Forum", "1", "1", "1 (100 %)", "1 (100 %)", "0 (0 %)"],
        ["Tous les événements", "2", "2", "2 (100 %)", "2 (100 %)", "1 (50 %)"],
    ]
    assert table_rows(response, "table-evenements-par-ecole") == [
        ["École de la Logistique — Douai", "2", "2", "2 (100 %)", "2 (100 %)", "1 (50 %)"],
    ]


def test_job_family_filter_keeps_events_of_its_schools(client_staff, monde):
    monde["douai"].filiere = "logistique"
    monde["douai"].save()

    response = client_staff.get(URL, {**ANNEE_2025, "filiere": "logistique"})

    assert table_rows(response, "table-evenements-par-type")[-1] == [
        "Tous les événements",
        "2",
        "2",
        "2 (100 %)",
        "2 (100 %)",
        "1 (50 %)",
    ]


def test_the_section_says_which_population_is_counted(client_staff, monde):
    texte = section(client_staff.get(URL, ANNEE_2025), "evenements")

    assert "Des événements à l'emploi" in texte
    assert "annulés exceptés" in texte
    assert "s'il y a participé (quelle que soit sa présence)" in texte
    assert "emploi durable ou de transition" in texte


def test_without_events_the_section_says_so(client_staff):
    response = client_staff.get(URL, ANNEE_2025)

    assert "Aucun événement sur la période." in section(response, "evenements")


@pytest.mark.parametrize("rows", [1, 50])
def test_the_section_runs_a_fixed_number_of_queries(staff_user, django_assert_num_queries, rows):
    ecole = EcoleFactory()
    for numero in range(rows):
        un_evenement = evenement(
            EcoleFactory() if numero % 2 else ecole,
            titre=f"Forum {numero}",
            date=datetime.date(2025, 3, 1) + datetime.timedelta(days=numero),
        )
        candidat = CandidatFactory(evenement_source=un_evenement)
        participe(candidat, un_evenement)
    periode = Periode(debut=datetime.date(2025, 1, 1), fin=datetime.date(2025, 12, 31))

    # The participations and the sources with the steps of their candidates, counted
    # for the total, per type and per school; the events per type; the schools with their
    # events; the years.
    with django_assert_num_queries(4):
        resultat = entonnoir_des_evenements(periode, staff_user)

    assert resultat.total.etapes[0].nombre == rows
    assert sum(ligne.evenements for ligne in resultat.par_ecole) == rows


def test_an_event_of_no_school_counts_in_its_type_and_the_total_only(client_staff, monde):
    salon = evenement(monde["cambrai"], type=TypeEvenement.VISITE, date=datetime.date(2025, 10, 1))
    salon.ecoles.clear()
    participe(CandidatFactory(canal=CanalSourcing.EVENEMENT), salon)

    response = client_staff.get(URL, ANNEE_2025)

    par_type = table_rows(response, "table-evenements-par-type")
    assert ["Visite d'entreprise", "1", "1", "0 (0 %)", "0 (—)", "0 (—)"] in par_type
    assert par_type[-1] == ["Tous les événements", "4", "6", "4 (66,7 %)", "3 (75 %)", "2 (66,7 %)"]
    assert [ligne[0] for ligne in table_rows(response, "table-evenements-par-ecole")] == [
        "École de la Maintenance — Cambrai",
        "École de la Logistique — Douai",
    ]


# Issue 16: the funnel reads the period's events first, then their participations.


def test_the_period_s_dates_bound_the_joined_events_of_both_paths(client_staff, monde):
    with CaptureQueriesContext(connection) as queries:
        client_staff.get(URL, ANNEE_2025)
    (sql,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("WITH venus")]

    # On the event joined to each participation and to each source, not only inside the
    # subquery of the period's events: at a million candidates PostgreSQL otherwise
    # joins every participation of ten years before keeping those of the period.
    assert sql.count('"evenements_evenement"."date" BETWEEN') == 2
    assert sql.count('"evenements_evenement"."annule_le" IS NULL') == 2
