"""Each new page holds its number of queries with 1 row and with 50."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from a_faire import synthese
from tests.factories import CohorteFactory, InscriptionFactory, SortieFactory, StageFactory

from .conftest import LUNDI, D, EvaluationDeStageFactory

pytestmark = pytest.mark.django_db
ROWS = pytest.mark.parametrize("rows", [1, 50])


@pytest.fixture
def chaque_section(today_is, ecole, ampere):
    """`rows` rows in each section of the "À faire" page, as in `semaine_chargee`."""
    today_is(LUNDI)
    en_cours = CohorteFactory(parcours__ecole=ecole, date_debut=D(3, 3), places=200)
    a_venir = CohorteFactory(parcours__ecole=ecole, date_debut=D(6, 2), places=200)
    terminee = CohorteFactory(parcours__ecole=ecole, date_debut=datetime.date(2023, 1, 2))
    sortis = CohorteFactory(parcours__ecole=ecole, date_debut=datetime.date(2023, 1, 2), places=200)

    def remplir(rows):
        for _ in range(rows):
            StageFactory(inscription=InscriptionFactory(cohorte=en_cours), entreprise=ampere)
            InscriptionFactory(cohorte=a_venir)
            InscriptionFactory(cohorte=terminee)
            # Without an e-mail, the survey of their exit is on the call list once due.
            SortieFactory(inscription=InscriptionFactory(cohorte=sortis, candidat__email=""))
        return en_cours

    return remplir


@ROWS
def test_a_faire_queries_do_not_grow_with_rows(
    client_staff, django_assert_num_queries, chaque_section, rows
):
    chaque_section(rows)

    # 1. savepoint of ATOMIC_REQUESTS, 2. the session, 3. the user; overdue check-ins:
    # 4. the months of the rows up to the bound, 5. the first rows with their trainees;
    # exits, internships without host, awaited evaluations, surveys to call: 6.-13. the
    # first rows and the count of each; 14. release; 15.-17. the session saved in its own
    # savepoint.
    with django_assert_num_queries(17):
        response = client_staff.get(reverse("a_faire:a_faire"))

    assert [section.nombre for section in response.context["sections"]] == [3 * rows] + [rows] * 4


@ROWS
def test_the_weekly_digest_queries_do_not_grow_with_rows(
    staff_user, django_assert_num_queries, chaque_section, rows
):
    chaque_section(rows)

    # 1. the recipients, 2. their digests already queued this week, 3. savepoint of the
    # recipient's digest; 4.-13. the sections, as on the page; 14.-17. the message looked
    # for, then written in its savepoint (get_or_create); 18.-20. its job, run at once by
    # the tests' backend: claimed, read, marked sent; 21. release.
    with django_assert_num_queries(21):
        bilan = synthese.envoyer_syntheses(site_url="https://portail.example.org", day=LUNDI)

    assert bilan == {"envoyees": 1, "deja_envoyees": 0}
    [courriel] = mail.outbox
    assert f"Enquêtes à appeler : {rows}" in courriel.body


@ROWS
def test_exits_page_queries_do_not_grow_with_rows(
    client_staff, django_assert_num_queries, chaque_section, rows
):
    chaque_section(rows)

    # 1. savepoint, 2. session, 3. user, 4. the count for the pagination, 5. the page of
    # enrollments with candidate, cohort, track and school, 6. release, 7.-9. session save.
    with django_assert_num_queries(9):
        response = client_staff.get(reverse("a_faire:sorties"))

    assert response.context["page_obj"].paginator.count == rows


@ROWS
def test_awaited_evaluations_page_queries_do_not_grow_with_rows(
    client_staff, django_assert_num_queries, chaque_section, rows
):
    chaque_section(rows)

    # 1. savepoint, 2. session, 3. user, 4. the count for the pagination, 5. the page of
    # internships with company, phase, candidate, cohort, track and school, 6. release,
    # 7.-9. session save.
    with django_assert_num_queries(9):
        response = client_staff.get(reverse("evaluations:en_attente"))

    assert response.context["page_obj"].paginator.count == rows


@pytest.fixture
def a_evaluer_et_evalues(chaque_section, ampere):
    """`rows` internships to evaluate and `rows` evaluated at Ampere."""

    def remplir(rows):
        cohorte = chaque_section(rows)
        for _ in range(rows):
            EvaluationDeStageFactory(
                stage=StageFactory(
                    inscription=InscriptionFactory(cohorte=cohorte), entreprise=ampere
                )
            )
        return cohorte.inscriptions.filter(stages__evaluation__isnull=True).first().stages.get()

    return remplir


@ROWS
def test_partner_list_queries_do_not_grow_with_rows(
    client, tuteur_ampere, django_assert_num_queries, a_evaluer_et_evalues, rows
):
    a_evaluer_et_evalues(rows)
    client.force_login(tuteur_ampere)

    # 1. savepoint, 2. session, 3. user, 4. the count for the pagination, 5. the page of
    # internships to evaluate, 6. the latest evaluated ones, 7. release, 8.-10. session save.
    with django_assert_num_queries(10):
        response = client.get(reverse("evaluations:a_evaluer"))

    assert response.context["page_obj"].paginator.count == rows
    assert len(response.context["evaluees"]) == min(rows, 10)


@ROWS
def test_partner_form_queries_do_not_grow_with_rows(
    client, tuteur_ampere, django_assert_num_queries, a_evaluer_et_evalues, rows
):
    stage = a_evaluer_et_evalues(rows)
    client.force_login(tuteur_ampere)

    # 1. savepoint, 2. session, 3. user, 4. the internship, if the partner's, 5. its
    # evaluation if any, 6. release, 7.-9. session save.
    with django_assert_num_queries(9):
        response = client.get(reverse("evaluations:evaluer", kwargs={"pk": stage.pk}))

    assert "form" in response.context
