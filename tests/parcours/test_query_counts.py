"""Each staff page of the tracks runs a fixed number of queries, whatever its rows."""

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.dates import add_months, first_of_month
from parcours.models import TypePhase
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    SortieFactory,
    StageFactory,
    SuiviFactory,
)

pytestmark = pytest.mark.django_db

ROWS = pytest.mark.parametrize("rows", [1, 50])


def today():
    return timezone.localdate()


def stages_de_une_semaine(nombre):
    """A track of `nombre` one-week internships, the shape that multiplies the selects."""
    return [(TypePhase.STAGE, f"Stage {numero}", 1) for numero in range(1, nombre + 1)]


def a_cohort_with_internships(nombre, **kwargs):
    """A running cohort of `nombre` internship phases, at a school of three members."""
    ecole = EcoleFactory(entreprises_adherentes=EntrepriseFactory.create_batch(3))
    parcours = ParcoursFactory(ecole=ecole, phases=stages_de_une_semaine(nombre))
    return CohorteFactory(parcours=parcours, date_debut=today(), **kwargs)


# Creating and editing a cohort.


@ROWS
def test_cohort_creation_form_queries_do_not_grow_with_the_tracks(
    client_staff, django_assert_num_queries, rows
):
    ParcoursFactory.create_batch(rows)

    # The request's savepoint, the session, the user; the active tracks with their
    # school for the select; the funding schemes of theirs; release; the session's
    # rolling expiry (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client_staff.get(reverse("parcours:cohorte_creer"))

    assert len(response.context["form"].fields["parcours"].choices) == rows + 1


@ROWS
def test_calendar_preview_queries_do_not_grow_with_the_phases_of_the_track(
    client_staff, django_assert_num_queries, rows
):
    parcours = ParcoursFactory(
        phases=[
            (TypePhase.STAGE if numero % 2 else TypePhase.THEORIE, f"Phase {numero}", 1)
            for numero in range(1, rows + 1)
        ]
    )
    ParcoursFactory()
    data = {"parcours": parcours.pk, "date_debut": "2031-01-06", "places": 12, "apercu": ""}

    # The request's savepoint, the session, the user; the chosen track with its school;
    # its phases; the names already taken in the track; the tracks of the select; the
    # funding schemes of the select; release; the session's rolling expiry (savepoint,
    # update, release).
    with django_assert_num_queries(12):
        response = client_staff.post(reverse("parcours:cohorte_creer"), data)

    assert len(response.context["apercu"]["phases"]) == rows
    assert response.text.count('<th scope="row">Phase ') == rows


@ROWS
def test_cohort_edit_form_queries_do_not_grow_with_the_trainees(
    client_staff, django_assert_num_queries, rows
):
    cohorte = CohorteFactory(places=60)
    InscriptionFactory.create_batch(rows, cohorte=cohorte)

    # The request's savepoint, the session, the user; the cohort with its school and
    # scheme; the funding schemes of the select; release; the session's rolling expiry
    # (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client_staff.get(reverse("parcours:cohorte_modifier", args=[cohorte.pk]))

    assert response.context["form"].initial["nom"] == cohorte.nom
    assert response.context["form"].initial["places"] == 60


@ROWS
def test_calendar_formset_queries_do_not_grow_with_the_phases(
    client_staff, django_assert_num_queries, rows
):
    cohorte = CohorteFactory(
        parcours=ParcoursFactory(
            phases=[(TypePhase.THEORIE, f"Phase {numero}", 1) for numero in range(1, rows + 1)]
        )
    )

    # The request's savepoint, the session, the user; the cohort with its school; its
    # phases; the phases again and the half-days with attendance, for the half-days kept
    # off the calendar; release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(11):
        response = client_staff.get(reverse("parcours:cohorte_calendrier", args=[cohorte.pk]))

    # One row per phase, and an empty one to add a phase.
    assert len(response.context["formset"].forms) == rows + 1
    assert len(response.context["apercu"]["phases"]) == rows


# Host companies.


@ROWS
def test_host_companies_form_queries_do_not_grow_with_the_internship_phases(
    client_staff, django_assert_num_queries, rows
):
    cohorte = a_cohort_with_internships(rows)
    inscription = InscriptionFactory(cohorte=cohorte)
    for phase in cohorte.phases.all():
        StageFactory(inscription=inscription, phase=phase)

    # The request's savepoint, the session, the user; the enrollment with candidate,
    # cohort, school and exit; the cohort's internship phases; the enrollment's
    # internships; the school's member companies; their contacts, the tutors offered;
    # release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(12):
        response = client_staff.get(reverse("parcours:stages", args=[inscription.pk]))

    # A host company and a tutor per internship, the company chosen, no tutor yet.
    assert response.text.count("<select") == 2 * rows
    assert response.text.count("selected>") == 2 * rows
    assert response.text.count('<option value="" selected>— À définir —</option>') == rows


@ROWS
def test_internships_without_host_queries_do_not_grow_with_the_rows(
    client_staff, django_assert_num_queries, rows
):
    # The Béthune cohort started four weeks ago: its internship is still to come.
    cohorte = CohorteFactory(places=60)
    InscriptionFactory.create_batch(rows, cohorte=cohorte)

    # The request's savepoint, the session, the user; the count; the schools of the
    # filter; the page's rows with candidate, cohort and school; release; the session's
    # rolling expiry (savepoint, update, release).
    with django_assert_num_queries(10):
        response = client_staff.get(reverse("parcours:stages_sans_entreprise"))

    assert response.context["page_obj"].paginator.count == rows
    assert response.text.count("Choisir l'entreprise") == min(rows, 25)


# Enrollment.


@ROWS
def test_candidate_choice_queries_do_not_grow_with_the_candidates(
    client_staff, django_assert_num_queries, rows
):
    cohorte = CohorteFactory()
    ailleurs = CohorteFactory(places=60)
    for candidat in CandidatFactory.create_batch(rows, ecole_visee=cohorte.parcours.ecole):
        InscriptionFactory(candidat=candidat, cohorte=ailleurs)

    # The request's savepoint, the session, the user; the cohort with its school and
    # seats used; the count; the page's candidates with the school they aim at; their
    # enrollments elsewhere with their cohort; release; the session's rolling expiry
    # (savepoint, update, release).
    with django_assert_num_queries(11):
        response = client_staff.get(reverse("parcours:choisir_candidat", args=[cohorte.pk]))

    assert response.text.count("Indisponible : dates qui chevauchent") == min(rows, 25)


@ROWS
def test_candidate_search_queries_do_not_grow_with_the_candidates(
    client_staff, django_assert_num_queries, rows
):
    cohorte = CohorteFactory()
    CandidatFactory.create_batch(rows, nom="Martin")

    # As without a search: the search narrows the same two queries.
    with django_assert_num_queries(11):
        response = client_staff.get(
            reverse("parcours:choisir_candidat", args=[cohorte.pk]), {"q": "martin"}
        )

    assert response.text.count(">Inscrire</a>") == min(rows, 25)


@ROWS
def test_cohort_choice_queries_do_not_grow_with_the_cohorts(
    client_staff, django_assert_num_queries, rows
):
    candidat = CandidatFactory(ecole_visee=EcoleFactory())
    InscriptionFactory(candidat=candidat)
    for cohorte in CohorteFactory.create_batch(rows, date_debut=today()):
        InscriptionFactory(cohorte=cohorte)

    # The request's savepoint, the session, the user; the candidate with the school
    # they aim at; their enrollments not over; the count; the page's open cohorts with
    # their school, seats used and overlapping enrollment; release; the session's
    # rolling expiry (savepoint, update, release).
    with django_assert_num_queries(11):
        response = client_staff.get(reverse("parcours:choisir_cohorte", args=[candidat.pk]))

    assert response.text.count("Indisponible : en formation dans") == min(rows, 25)


@ROWS
def test_enrollment_form_queries_do_not_grow_with_the_internship_phases(
    client_staff, django_assert_num_queries, rows
):
    cohorte = a_cohort_with_internships(rows, places=60)
    InscriptionFactory.create_batch(3, cohorte=cohorte)
    candidat = CandidatFactory()

    # The request's savepoint, the session, the user; the cohort with its school and
    # seats used; the candidate; the cohort's internship phases; the school's member
    # companies; release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(11):
        response = client_staff.get(reverse("parcours:inscrire", args=[cohorte.pk, candidat.pk]))

    assert response.text.count("<select") == rows
    assert "57 places libres sur 60" in response.text
    # The cohort starts today, with its first internship.
    assert "rejoint la cohorte pendant le stage « Stage 1 »" in response.text


# Monthly check-ins.


@pytest.fixture
def a_long_enrollment():
    """A trainee in training for 56 months: room for 50 check-ins and more."""
    debut = add_months(first_of_month(today()), -55)
    parcours = ParcoursFactory(phases=[(TypePhase.THEORIE, "Théorie", 260)])
    return InscriptionFactory(cohorte=CohorteFactory(parcours=parcours, date_debut=debut))


def check_ins(inscription, nombre):
    return [
        SuiviFactory(inscription=inscription, mois=add_months(inscription.date_entree, numero))
        for numero in range(nombre)
    ]


@ROWS
def test_new_check_in_form_queries_do_not_grow_with_the_recorded_check_ins(
    client_staff, django_assert_num_queries, a_long_enrollment, rows
):
    check_ins(a_long_enrollment, rows)

    # The request's savepoint, the session, the user; the enrollment with candidate,
    # cohort, school and exit; the months already checked in; the month's planned hours
    # and attendance, for the suggested rating; release; the session's rolling expiry
    # (savepoint, update, release).
    with django_assert_num_queries(11):
        response = client_staff.get(reverse("parcours:suivi_creer", args=[a_long_enrollment.pk]))

    assert len(response.context["form"].mois_offerts) == 56 - rows


@ROWS
def test_check_in_edit_form_queries_do_not_grow_with_the_recorded_check_ins(
    client_staff, django_assert_num_queries, a_long_enrollment, rows
):
    premier, *_ = check_ins(a_long_enrollment, rows)

    # The request's savepoint, the session, the user; the check-in with its author and
    # the enrollment with candidate, cohort, school and exit; the other months already
    # checked in; the month's planned hours and attendance, for the suggested rating;
    # release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(11):
        response = client_staff.get(reverse("parcours:suivi_modifier", args=[premier.pk]))

    assert len(response.context["form"].mois_offerts) == 56 - rows + 1


# Exits.


@ROWS
def test_new_exit_form_queries_do_not_grow_with_the_companies(
    client_staff, django_assert_num_queries, rows
):
    inscription = InscriptionFactory()
    EntrepriseFactory.create_batch(rows)
    EntrepriseFactory(partenaire_emploi=True)
    EntrepriseFactory(organisme_formation=True)

    # The request's savepoint, the session, the user; the enrollment with candidate,
    # cohort, school and exit; the companies of the select; release; the session's
    # rolling expiry (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client_staff.get(reverse("parcours:sortie", args=[inscription.pk]))

    assert response.context["existante"] is None
    assert len(response.context["form"].fields["entreprise_utilisatrice"].choices) == rows + 1


@ROWS
def test_exit_correction_form_queries_do_not_grow_with_the_companies(
    client_staff, django_assert_num_queries, rows
):
    entreprises = EntrepriseFactory.create_batch(rows)
    sortie = SortieFactory(entreprise_utilisatrice=entreprises[-1])

    # The request's savepoint, the session, the user; the enrollment with candidate,
    # cohort, school and exit; the companies of the select; release; the session's
    # rolling expiry (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client_staff.get(reverse("parcours:sortie", args=[sortie.inscription_id]))

    assert response.context["existante"] == sortie
    assert f'<option value="{entreprises[-1].pk}" selected>' in response.text
