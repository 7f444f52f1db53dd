"""The candidate pages run a fixed number of queries, whatever their rows.

The list and the file have theirs beside their other tests (test_views.py, test_detail.py).
"""

import datetime
import json

import pytest
from django.urls import reverse

from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    InscriptionFactory,
    SortieFactory,
    StageFactory,
    SuiviFactory,
)

pytestmark = pytest.mark.django_db

ROWS = pytest.mark.parametrize("rows", [1, 50])


@ROWS
def test_creation_form_queries_do_not_grow_with_the_schools(
    client_staff, django_assert_num_queries, rows
):
    EcoleFactory.create_batch(rows)

    # The request's savepoint, the session, the user; the active schools of the select;
    # release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(8):
        response = client_staff.get(reverse("candidats:creer"))

    # The schools, and "Pas encore choisie".
    assert len(response.context["form"].fields["ecole_visee"].choices) == rows + 1


@ROWS
def test_edit_form_queries_do_not_grow_with_the_schools(
    client_staff, django_assert_num_queries, rows
):
    ecoles = EcoleFactory.create_batch(rows)
    candidat = CandidatFactory(ecole_visee=ecoles[-1])

    # The request's savepoint, the session, the user; the candidate; the active schools
    # of the select; release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client_staff.get(reverse("candidats:modifier", args=[candidat.pk]))

    assert len(response.context["form"].fields["ecole_visee"].choices) == rows + 1
    assert f'<option value="{ecoles[-1].pk}" selected>' in response.text


@ROWS
def test_personal_data_queries_do_not_grow_with_enrollments_and_history(
    client_staff, django_assert_num_queries, rows
):
    candidat = CandidatFactory(ecole_visee=EcoleFactory())
    # One cohort after another, all ended: a person is in one cohort at a time.
    debut = datetime.date(2000, 1, 3)
    for numero in range(rows):
        cohorte = CohorteFactory(date_debut=debut)
        debut = cohorte.date_fin + datetime.timedelta(days=1)
        inscription = InscriptionFactory(candidat=candidat, cohorte=cohorte)
        StageFactory(inscription=inscription)
        SuiviFactory(inscription=inscription)
        SortieFactory(inscription=inscription)
        # Each change is a history entry compared with the version before it.
        candidat.commune = f"Commune {numero}"
        candidat.save()

    # The request's savepoint, the session, the user; the candidate with the school
    # aimed at and the event; the enrollments with cohort, track, school, exit and its
    # client company; their internships with company and phase; the check-ins with their
    # author; the event participations with their event; the immersions with their
    # company; the ids of every enrollment the history knows; the history of the
    # candidate, enrollments, internships, check-ins and exits, with their authors; the
    # download's entry in the access log; release; the session's rolling expiry
    # (savepoint, update, release).
    with django_assert_num_queries(20):
        response = client_staff.get(reverse("candidats:donnees", args=[candidat.pk]))

    donnees = json.loads(response.content)
    assert len(donnees["inscriptions"]) == rows
    assert all(len(inscription["Suivis mensuels"]) == 1 for inscription in donnees["inscriptions"])
    assert donnees["candidat"]["Commune"] == f"Commune {rows - 1}"


@ROWS
def test_printable_personal_data_queries_do_not_grow_with_enrollments(
    client_staff, django_assert_num_queries, rows
):
    candidat = CandidatFactory(ecole_visee=EcoleFactory())
    debut = datetime.date(2000, 1, 3)
    for _ in range(rows):
        cohorte = CohorteFactory(date_debut=debut, nom=f"Cohorte du {debut:%d/%m/%Y}")
        debut = cohorte.date_fin + datetime.timedelta(days=1)
        inscription = InscriptionFactory(candidat=candidat, cohorte=cohorte)
        SuiviFactory(inscription=inscription)

    # The same queries as the JSON file: the page is drawn from the same data.
    with django_assert_num_queries(20):
        response = client_staff.get(
            reverse("candidats:donnees", args=[candidat.pk]), {"format": "page"}
        )

    assert response.text.count("Cohorte du ") == rows
