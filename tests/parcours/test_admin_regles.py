"""The Django admin writes through the same services and rules as the staff pages.

Each test posts what a browser would send from the admin's own form (read back from the
page), changing only the fields under test.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.models import Cohorte, Inscription, Sortie, Stage, Suivi, TypePhase
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    SortieFactory,
    SuiviFactory,
)
from tests.formulaires import champs_du_formulaire

pytestmark = pytest.mark.django_db

D = datetime.date


def today():
    return timezone.localdate()


@pytest.fixture
def client_admin(client, admin_user):
    client.force_login(admin_user)
    return client


def poster(client, url, form_id, **changes):
    """GET the admin page, then POST its form back with `changes`."""
    donnees = champs_du_formulaire(client.get(url), form_id)
    donnees.update({name: "" if value is None else value for name, value in changes.items()})
    return client.post(url, donnees)


def errors_of(response):
    assert response.status_code == 200, "the admin accepted the form"
    return response.text


# Cohorts


def test_a_cohort_added_in_the_admin_gets_its_track_phases_name_and_end_date(client_admin):
    parcours = ParcoursFactory(nom="Conduite de ligne", ecole__ville="Béthune")

    response = poster(
        client_admin,
        reverse("admin:parcours_cohorte_add"),
        "cohorte_form",
        parcours=parcours.pk,
        date_debut="2025-01-13",
        places="12",
    )

    assert response.status_code == 302
    cohorte = Cohorte.objects.get()
    assert cohorte.nom == "Béthune Conduite de ligne — 01/2025"
    assert [(p.type, p.date_debut, p.date_fin) for p in cohorte.phases.order_by("ordre")] == [
        (TypePhase.THEORIE, D(2025, 1, 13), D(2025, 2, 23)),
        (TypePhase.STAGE, D(2025, 2, 24), D(2025, 3, 30)),
        (TypePhase.THEORIE, D(2025, 3, 31), D(2025, 6, 8)),
    ]
    assert cohorte.date_fin == D(2025, 6, 8)


def test_a_cohort_of_a_track_without_phases_is_refused_in_the_admin(client_admin):
    parcours = ParcoursFactory(phases=[])

    response = poster(
        client_admin,
        reverse("admin:parcours_cohorte_add"),
        "cohorte_form",
        parcours=parcours.pk,
        date_debut="2025-01-13",
        places="12",
    )

    assert "Ce parcours n&#x27;a aucune phase" in errors_of(response)
    assert not Cohorte.objects.exists()


def test_seats_cannot_be_lowered_below_the_trainees_in_training_at_once(client_admin):
    cohorte = CohorteFactory(places=6)
    InscriptionFactory.create_batch(5, cohorte=cohorte)

    response = poster(
        client_admin,
        reverse("admin:parcours_cohorte_change", args=[cohorte.pk]),
        "cohorte_form",
        places="3",
    )

    assert "elle ne peut compter moins de 5 places" in errors_of(response)
    cohorte.refresh_from_db()
    assert cohorte.places == 6


def test_seats_may_be_lowered_to_the_trainees_in_training_at_once(client_admin):
    cohorte = CohorteFactory(places=6, date_debut=today() - datetime.timedelta(weeks=30))
    early, *others = InscriptionFactory.create_batch(3, cohorte=cohorte)
    SortieFactory(inscription=early, date_sortie=cohorte.date_debut)
    InscriptionFactory(cohorte=cohorte, date_entree=cohorte.date_debut + datetime.timedelta(7))

    response = poster(
        client_admin,
        reverse("admin:parcours_cohorte_change", args=[cohorte.pk]),
        "cohorte_form",
        places="3",
    )

    assert response.status_code == 302
    cohorte.refresh_from_db()
    assert cohorte.places == 3


def test_the_calendar_of_a_cohort_is_read_only_in_the_admin(client_admin):
    cohorte = CohorteFactory()
    page = client_admin.get(reverse("admin:parcours_cohorte_change", args=[cohorte.pk])).text

    assert 'name="date_debut"' not in page
    assert 'name="phases-0-date_debut"' not in page
    assert reverse("parcours:cohorte_calendrier", args=[cohorte.pk]) in page
    phase = cohorte.phases.first()
    response = client_admin.post(
        reverse("admin:parcours_phasecohorte_change", args=[phase.pk]),
        {"date_fin": "2031-01-01"},
    )
    assert response.status_code == 403


# Enrollments


def test_the_admin_refuses_an_enrollment_overlapping_another(client_admin):
    candidat = CandidatFactory()
    premiere = InscriptionFactory(candidat=candidat)
    autre = CohorteFactory(date_debut=premiere.cohorte.date_debut + datetime.timedelta(weeks=2))

    response = poster(
        client_admin,
        reverse("admin:parcours_inscription_add"),
        "inscription_form",
        candidat=candidat.pk,
        cohorte=autre.pk,
        date_entree=autre.date_debut.isoformat(),
    )

    assert "les deux périodes se chevaucheraient" in errors_of(response)
    assert Inscription.objects.filter(candidat=candidat).count() == 1


def test_the_admin_refuses_an_enrollment_beyond_the_seats(client_admin):
    cohorte = CohorteFactory(places=4)
    InscriptionFactory.create_batch(4, cohorte=cohorte)

    response = poster(
        client_admin,
        reverse("admin:parcours_inscription_add"),
        "inscription_form",
        candidat=CandidatFactory().pk,
        cohorte=cohorte.pk,
        date_entree=cohorte.date_debut.isoformat(),
    )

    assert "La cohorte est complète (4 places)." in errors_of(response)
    assert cohorte.inscriptions.count() == 4


def test_an_enrollment_added_in_the_admin_goes_through_the_service(client_admin, admin_user):
    cohorte = CohorteFactory()
    candidat = CandidatFactory()

    response = poster(
        client_admin,
        reverse("admin:parcours_inscription_add"),
        "inscription_form",
        candidat=candidat.pk,
        cohorte=cohorte.pk,
        date_entree=cohorte.date_debut.isoformat(),
    )

    assert response.status_code == 302
    inscription = Inscription.objects.get()
    assert inscription.creee_par == admin_user
    candidat.refresh_from_db()
    assert candidat.statut == candidat.Statut.RETENU


def test_the_status_of_an_enrollment_is_not_editable_in_the_admin(client_admin):
    inscription = InscriptionFactory()
    url = reverse("admin:parcours_inscription_change", args=[inscription.pk])

    assert 'name="statut"' not in client_admin.get(url).text
    response = poster(client_admin, url, "inscription_form", statut=Inscription.Statut.SORTIE)

    assert response.status_code == 302
    inscription.refresh_from_db()
    assert inscription.statut == Inscription.Statut.EN_FORMATION


def test_moving_an_entry_in_the_admin_after_a_recorded_check_in_is_refused(client_admin):
    inscription = InscriptionFactory()
    SuiviFactory(inscription=inscription)
    later = inscription.cohorte.date_debut + datetime.timedelta(days=40)

    response = poster(
        client_admin,
        reverse("admin:parcours_inscription_change", args=[inscription.pk]),
        "inscription_form",
        date_entree=later.isoformat(),
    )

    assert "l&#x27;entrée ne peut être plus tardive" in errors_of(response)


# Check-ins and internships


@pytest.mark.parametrize("mois", ["avant l'entrée", "après la sortie"])
def test_the_admin_refuses_a_check_in_outside_the_trainee_s_training(client_admin, mois):
    cohorte = CohorteFactory(date_debut=D(2025, 1, 6))
    inscription = InscriptionFactory(cohorte=cohorte, date_entree=D(2025, 3, 3))
    SortieFactory(inscription=inscription, date_sortie=D(2025, 4, 15))
    month = D(2025, 2, 1) if mois == "avant l'entrée" else D(2025, 5, 1)

    response = poster(
        client_admin,
        reverse("admin:parcours_suivi_add"),
        "suivi_form",
        inscription=inscription.pk,
        mois=month.isoformat(),
        date_entretien="2025-05-20",
        auteur=SuiviFactory().auteur.pk,
        assiduite="bon",
        progression="bon",
        risque_decrochage="faible",
    )

    assert "Ce mois est en dehors de la formation du stagiaire" in errors_of(response)
    assert not Suivi.objects.filter(inscription=inscription).exists()


def test_the_admin_refuses_a_host_company_that_is_not_a_member_of_the_school(client_admin):
    inscription = InscriptionFactory()
    phase = inscription.cohorte.phases.get(type=TypePhase.STAGE)
    ailleurs = EntrepriseFactory(nom="Ailleurs SA")

    response = poster(
        client_admin,
        reverse("admin:parcours_stage_add"),
        "stage_form",
        inscription=inscription.pk,
        phase=phase.pk,
        entreprise=ailleurs.pk,
    )

    assert "Ailleurs SA n&#x27;est pas une entreprise adhérente" in errors_of(response)
    assert not Stage.objects.exists()


# Exits


def test_an_exit_saved_in_the_admin_closes_the_enrollment(client_admin):
    inscription = InscriptionFactory()

    response = poster(
        client_admin,
        reverse("admin:parcours_sortie_add"),
        "sortie_form",
        inscription=inscription.pk,
        date_sortie=today().isoformat(),
        motif=Sortie.Motif.ABANDON,
        situation="recherche_emploi",
    )

    assert response.status_code == 302
    inscription.refresh_from_db()
    assert inscription.statut == Inscription.Statut.SORTIE


def overlapping_after_an_early_exit():
    """A trainee left cohort A early, then entered cohort B while A still ran."""
    candidat = CandidatFactory(prenom="Marthe", nom="Chevalier")
    debut = today() - datetime.timedelta(weeks=20)
    a = CohorteFactory(nom="Cohorte A", date_debut=debut)
    b = CohorteFactory(nom="Cohorte B", date_debut=debut + datetime.timedelta(weeks=6))
    premiere = InscriptionFactory(candidat=candidat, cohorte=a)
    sortie = SortieFactory(inscription=premiere, date_sortie=debut + datetime.timedelta(weeks=4))
    InscriptionFactory(candidat=candidat, cohorte=b)
    return sortie


def test_moving_an_exit_later_into_another_enrollment_is_refused_in_the_admin(client_admin):
    sortie = overlapping_after_an_early_exit()

    response = poster(
        client_admin,
        reverse("admin:parcours_sortie_change", args=[sortie.pk]),
        "sortie_form",
        date_sortie=today().isoformat(),
    )

    assert "déjà en formation dans la cohorte « Cohorte B »" in errors_of(response)
    sortie.refresh_from_db()
    assert sortie.date_sortie < today()


def test_deleting_an_exit_into_another_enrollment_is_refused_in_the_admin(client_admin):
    sortie = overlapping_after_an_early_exit()

    page = client_admin.get(reverse("admin:parcours_sortie_delete", args=[sortie.pk])).text
    response = client_admin.post(
        reverse("admin:parcours_sortie_delete", args=[sortie.pk]), {"post": "yes"}
    )

    assert "déjà en formation dans la cohorte « Cohorte B »" in page
    assert response.status_code == 200
    assert Sortie.objects.filter(pk=sortie.pk).exists()


def test_deleting_exits_in_bulk_refuses_the_one_that_would_overlap(client_admin):
    refusee = overlapping_after_an_early_exit()
    libre = SortieFactory()

    client_admin.post(
        reverse("admin:parcours_sortie_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [refusee.pk, libre.pk],
            "post": "yes",
        },
    )

    assert set(Sortie.objects.values_list("pk", flat=True)) == {refusee.pk, libre.pk}
