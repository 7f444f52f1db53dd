import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ecoles.models import Filiere
from parcours.dates import first_of_month
from parcours.models import Situation, TypePhase, dernier_mois_echu
from tests import plans
from tests.factories import (
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

LISTE = reverse("parcours:cohortes")


def today():
    return timezone.localdate()


def cohorte_url(cohorte):
    return reverse("parcours:cohorte", args=[cohorte.pk])


def listed_cohorts(response):
    """The names of the cohorts in the list's table, in order."""
    return re.findall(r'<th scope="row"><a href="/cohortes/\d+/">([^<]+)</a></th>', response.text)


def row_of(html, text):
    """The table row that contains `text`."""
    rows = [row for row in re.findall(r"<tr.*?</tr>", html, re.DOTALL) if text in row]
    assert len(rows) == 1, f"{len(rows)} rows contain {text!r}"
    return rows[0]


def an_ended_cohort(**kwargs):
    return CohorteFactory(date_debut=today() - datetime.timedelta(weeks=40), **kwargs)


def a_future_cohort(**kwargs):
    return CohorteFactory(date_debut=today() + datetime.timedelta(weeks=3), **kwargs)


# Access: staff only, partners refused, unknown ids are 404.


def test_anonymous_user_is_sent_to_login(client):
    cohorte = CohorteFactory()

    for url in (LISTE, cohorte_url(cohorte)):
        response = client.get(url)

        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={url}"


def test_partner_gets_403_even_for_a_cohort_of_its_school(client, partner_user):
    entreprise = partner_user.appartenances.get().entreprise
    cohorte = CohorteFactory(parcours__ecole=EcoleFactory(entreprises_adherentes=[entreprise]))
    client.force_login(partner_user)

    assert client.get(LISTE).status_code == 403
    assert client.get(cohorte_url(cohorte)).status_code == 403


def test_unknown_cohort_is_404(client_staff):
    cohorte = CohorteFactory()

    response = client_staff.get(reverse("parcours:cohorte", args=[cohorte.pk + 1000]))

    assert response.status_code == 404


@pytest.mark.parametrize("user_fixture", ["staff_user", "admin_user"])
def test_staff_and_admin_open_both_pages(client, request, user_fixture):
    cohorte = CohorteFactory(nom="Béthune printemps")
    client.force_login(request.getfixturevalue(user_fixture))

    assert "Béthune printemps" in client.get(LISTE).text
    assert client.get(cohorte_url(cohorte)).status_code == 200


# The list.


def test_list_shows_school_dates_state_seats_and_phase_of_the_day(client_staff):
    ecole = EcoleFactory(nom="École de la Maintenance", ville="Béthune")
    debut = today() - datetime.timedelta(weeks=2)
    cohorte = CohorteFactory(
        nom="Béthune printemps", parcours__ecole=ecole, date_debut=debut, places=12
    )
    InscriptionFactory.create_batch(3, cohorte=cohorte)

    row = row_of(client_staff.get(LISTE).text, "Béthune printemps")

    assert "École de la Maintenance — Béthune" in row
    assert debut.strftime("%d/%m/%Y") in row
    assert cohorte.date_fin.strftime("%d/%m/%Y") in row
    assert '<span class="badge badge-success">En cours</span>' in row
    assert "3 / 12" in row
    assert "Théorie : fondamentaux" in row


def test_list_filters_by_state(client_staff):
    CohorteFactory(nom="Cohorte en cours")
    an_ended_cohort(nom="Cohorte terminée")
    a_future_cohort(nom="Cohorte à venir")

    def listed(etat):
        return set(listed_cohorts(client_staff.get(LISTE, {"etat": etat})))

    assert listed("terminee") == {"Cohorte terminée"}
    assert listed("en_cours") == {"Cohorte en cours"}
    assert listed("a_venir") == {"Cohorte à venir"}
    assert listed("") == {"Cohorte en cours", "Cohorte terminée", "Cohorte à venir"}


def test_list_filters_by_school_and_job_family(client_staff):
    cambrai = EcoleFactory(ville="Cambrai")
    douai = EcoleFactory(ville="Douai", filiere=Filiere.LOGISTIQUE)
    CohorteFactory(nom="Cambrai 1", parcours__ecole=cambrai)
    CohorteFactory(nom="Douai 1", parcours__ecole=douai)

    assert listed_cohorts(client_staff.get(LISTE, {"ecole": cambrai.pk})) == ["Cambrai 1"]
    assert listed_cohorts(client_staff.get(LISTE, {"filiere": "logistique"})) == ["Douai 1"]


def test_list_filters_by_start_year(client_staff):
    CohorteFactory(nom="Promo 2023", date_debut=datetime.date(2023, 3, 6))
    CohorteFactory(nom="Promo 2024", date_debut=datetime.date(2024, 3, 4))

    response = client_staff.get(LISTE, {"annee": "2023"})

    assert listed_cohorts(response) == ["Promo 2023"]
    assert '<option value="2024">2024</option>' in response.text


def test_list_sorts_by_name_both_ways(client_staff):
    for nom in ("Bravo", "Alpha", "Charlie"):
        CohorteFactory(nom=nom)

    assert listed_cohorts(client_staff.get(LISTE, {"tri": "nom"})) == ["Alpha", "Bravo", "Charlie"]
    assert listed_cohorts(client_staff.get(LISTE, {"tri": "-nom"})) == [
        "Charlie",
        "Bravo",
        "Alpha",
    ]


def test_list_is_paginated_by_25(client_staff):
    parcours = ParcoursFactory()
    CohorteFactory.create_batch(26, parcours=parcours)

    first = client_staff.get(LISTE)
    second = client_staff.get(LISTE, {"page": 2})

    assert len(listed_cohorts(first)) == 25
    assert len(listed_cohorts(second)) == 1
    assert "Page 1 sur 2" in first.text


def test_list_without_match_shows_the_empty_state(client_staff):
    CohorteFactory()

    response = client_staff.get(LISTE, {"etat": "terminee"})

    assert "Aucune cohorte ne correspond à ces critères." in response.text
    assert "<table" not in response.text


@pytest.mark.parametrize("rows", [1, 50])
def test_list_queries_do_not_grow_with_the_rows(client_staff, django_assert_num_queries, rows):
    parcours = ParcoursFactory()
    for cohorte in CohorteFactory.create_batch(rows, parcours=parcours):
        InscriptionFactory(cohorte=cohorte)

    # The request's savepoint, the session, the user; the schools and the start years
    # of the filters; the count; the page's cohorts with their school and seats used;
    # their phases; release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(12):
        response = client_staff.get(LISTE)

    assert len(listed_cohorts(response)) == min(rows, 25)


# The cohort page.


def test_cohort_page_shows_header_and_phase_calendar(client_staff):
    debut = today() - datetime.timedelta(weeks=2)
    cohorte = CohorteFactory(
        nom="Béthune printemps",
        parcours__nom="Conduite de ligne",
        parcours__ecole=EcoleFactory(nom="École de la conduite de ligne", ville="Béthune"),
        date_debut=debut,
    )

    html = client_staff.get(cohorte_url(cohorte)).text

    assert "<h1>Béthune printemps" in html
    assert "École de la conduite de ligne — Béthune" in html
    assert "parcours « Conduite de ligne »" in html
    assert '<span class="badge badge-success">En cours</span>' in html
    stage = cohorte.phases.get(type=TypePhase.STAGE)
    stage_row = row_of(html, '<th scope="row">Stage en entreprise')
    assert "Stage en entreprise" in stage_row
    assert stage.date_debut.strftime("%d/%m/%Y") in stage_row
    assert stage.date_fin.strftime("%d/%m/%Y") in stage_row
    current = row_of(html, 'aria-current="step"')
    assert "Théorie : fondamentaux" in current


def test_timeline_draws_each_phase_to_scale_and_marks_today(client_staff):
    # 6 + 5 + 10 weeks: 147 days drawn over 1000 units; today is day 14.
    cohorte = CohorteFactory(date_debut=today() - datetime.timedelta(days=14))

    html = client_staff.get(cohorte_url(cohorte)).text

    rects = re.findall(r'<rect class="phase phase-(\w+)" x="([\d.]+)" y="4" width="([\d.]+)"', html)
    assert rects == [
        ("theorie", "0.0", "285.7"),
        ("stage", "285.7", "238.1"),
        ("theorie", "523.8", "476.2"),
    ]
    assert '<line class="aujourdhui" x1="98.6" x2="98.6"' in html


def test_timeline_of_an_ended_cohort_has_no_today_marker(client_staff):
    html = client_staff.get(cohorte_url(an_ended_cohort())).text

    assert html.count("<rect ") == 3
    assert 'class="aujourdhui"' not in html
    assert '<span class="badge">Terminée</span>' in html


def test_cohort_page_has_no_inline_style_or_script(client_staff):
    cohorte = CohorteFactory()
    StageFactory(inscription__cohorte=cohorte)

    html = client_staff.get(cohorte_url(cohorte)).text

    assert "style=" not in html
    # Scripts are files of the site (`src`), never inline.
    assert re.findall(r"<script(?![^>]*\ssrc=)", html) == []


def test_cohort_page_lists_trainees_with_company_check_in_and_outcome(client_staff):
    ampere = EntrepriseFactory(nom="Ampere")
    cohorte = CohorteFactory(
        date_debut=today() - datetime.timedelta(weeks=2),
        parcours__ecole=EcoleFactory(entreprises_adherentes=[ampere]),
    )
    stage = StageFactory(inscription__cohorte=cohorte, inscription__candidat__nom="Martin")
    suivi = SuiviFactory(inscription=stage.inscription, date_entretien=today())
    sortie = SortieFactory(
        inscription__cohorte=cohorte,
        inscription__candidat__nom="Durand",
        date_sortie=today(),
        situation=Situation.CDD,
        date_debut_contrat=today(),
        date_fin_contrat=today() + datetime.timedelta(days=60),
    )

    html = client_staff.get(cohorte_url(cohorte)).text

    martin = row_of(html, "Martin")
    assert "Ampere" in martin
    assert stage.phase.date_debut.strftime("%d/%m/%Y") in martin
    assert f'href="{reverse("parcours:suivi_modifier", args=[suivi.pk])}"' in martin
    assert f"entretien du {today():%d/%m/%Y}" in martin
    assert "En formation" in martin
    assert "Théorie : fondamentaux" in martin
    assert reverse("parcours:suivi_creer", args=[stage.inscription.pk]) in martin
    assert "Enregistrer la sortie" in martin
    durand = row_of(html, "Durand")
    assert '<span class="badge badge-warning">Emploi de transition</span>' in durand
    assert "CDD" in durand
    assert f'href="{reverse("parcours:sortie", args=[sortie.inscription.pk])}"' in durand
    assert "Modifier la sortie" in durand
    assert "<strong>2</strong> places occupées sur 12" in html
    assert "<strong>10</strong> libres" in html


def test_overdue_flag_marks_trainees_without_the_check_in_of_the_last_overdue_month(
    client_staff,
):
    mois_echu = dernier_mois_echu()
    cohorte = CohorteFactory(date_debut=mois_echu - datetime.timedelta(weeks=2))
    a_jour = InscriptionFactory(cohorte=cohorte, candidat__nom="Ajour")
    SuiviFactory(inscription=a_jour, mois=mois_echu)
    InscriptionFactory(cohorte=cohorte, candidat__nom="Oublie")
    entre_apres = InscriptionFactory(
        cohorte=cohorte, candidat__nom="Tardif", date_entree=first_of_month(today())
    )
    assert entre_apres.date_entree > mois_echu

    html = client_staff.get(cohorte_url(cohorte)).text

    assert "En retard" not in row_of(html, "Ajour")
    assert '<span class="badge badge-danger">En retard</span>' in row_of(html, "Oublie")
    assert "En retard" not in row_of(html, "Tardif")
    assert f"mois={mois_echu:%Y-%m}" in row_of(html, "Oublie")


def test_candidate_name_links_to_the_candidate_file(client_staff):
    inscription = InscriptionFactory(candidat__nom="Lefèvre")

    html = client_staff.get(cohorte_url(inscription.cohorte)).text

    link = f'<a href="{reverse("candidats:detail", args=[inscription.candidat_id])}">'
    assert link in row_of(html, "Lefèvre")


def test_enroll_button_only_when_the_cohort_is_open(client_staff):
    ouverte = CohorteFactory(places=2)
    complete = CohorteFactory(places=1)
    InscriptionFactory(cohorte=complete)
    terminee = an_ended_cohort()

    def has_button(cohorte):
        return "Inscrire un candidat" in client_staff.get(cohorte_url(cohorte)).text

    assert has_button(ouverte)
    assert has_button(a_future_cohort())
    assert not has_button(complete)
    assert not has_button(terminee)


def test_cohort_without_trainees_shows_the_empty_state(client_staff):
    html = client_staff.get(cohorte_url(CohorteFactory())).text

    assert "Aucun stagiaire n'est encore inscrit dans cette cohorte." in html


@pytest.mark.parametrize("rows", [1, 50])
def test_cohort_page_queries_do_not_grow_with_the_trainees(
    client_staff, django_assert_num_queries, rows
):
    cohorte = CohorteFactory(places=60)
    for index in range(rows):
        stage = StageFactory(inscription__cohorte=cohorte)
        SuiviFactory(inscription=stage.inscription)
        if index % 2:
            SortieFactory(inscription=stage.inscription, date_sortie=today())

    # The request's savepoint, the session, the user; the cohort with its school and
    # seats used; its phases; the count of trainees for the pagination; a page of
    # trainees with their candidate, exit, last check-in and overdue flag; their
    # internships with phase and company; release; the session's rolling expiry
    # (savepoint, update, release).
    with django_assert_num_queries(12):
        response = client_staff.get(cohorte_url(cohorte))

    assert response.text.count("Saisir le suivi") == rows


def test_a_large_cohort_lists_its_trainees_fifty_per_page(client_staff):
    cohorte = CohorteFactory(places=80)
    for number in range(55):
        InscriptionFactory(
            cohorte=cohorte, candidat__nom=f"Stagiaire{number:02d}", candidat__prenom="Test"
        )
    url = reverse("parcours:cohorte", args=[cohorte.pk])

    first = client_staff.get(url).content.decode()
    second = client_staff.get(url, {"page": 2}).content.decode()

    assert "Stagiaire00" in first and "Stagiaire49" in first
    assert "Stagiaire50" not in first
    assert "Page 1 sur 2" in first
    assert "Stagiaire50" in second and "Stagiaire54" in second
    assert "Stagiaire00" not in second
    assert "55</strong> places occupées sur 80" in first


# Issue 16: the seats of each listed cohort are counted for that cohort alone.


def test_list_counts_each_cohort_s_seats_an_early_exit_freeing_one(client_staff):
    debut = today() - datetime.timedelta(weeks=4)
    pleine = CohorteFactory(nom="Béthune pleine", date_debut=debut, places=3)
    InscriptionFactory.create_batch(3, cohorte=pleine)
    partie = InscriptionFactory(cohorte=CohorteFactory(nom="Lens une sortie", date_debut=debut))
    SortieFactory(inscription=partie, date_sortie=today() - datetime.timedelta(days=1))
    InscriptionFactory(cohorte=partie.cohorte)
    CohorteFactory(nom="Douai vide", date_debut=debut, places=10)

    html = client_staff.get(LISTE).text

    assert "3 / 3" in row_of(html, "Béthune pleine")
    assert f"1 / {partie.cohorte.places}" in row_of(html, "Lens une sortie")
    assert "0 / 10" in row_of(html, "Douai vide")


def dans_une_sous_requete(noeud, chemin):
    return any(n.get("Parent Relationship") == "SubPlan" for n in (*chemin, noeud))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN de PostgreSQL")
def test_postgresql_counts_the_enrollments_of_the_page_s_cohorts_only(client_staff):
    for numero in range(30):
        InscriptionFactory.create_batch(2, cohorte=CohorteFactory(nom=f"Cohorte {numero}"))
    with CaptureQueriesContext(connection) as queries:
        client_staff.get(LISTE)
    (sql,) = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "parcours_cohorte"."id"')
    ]

    racine = plans.plan_of(
        sql, None, ["parcours_cohorte", "parcours_inscription", "parcours_sortie"]
    )

    # The enrollments are read in a subquery per cohort of the page, never joined to
    # every cohort and grouped before the sort keeps 25 of them.
    lectures = [
        (noeud, chemin)
        for noeud, chemin in plans.noeuds(racine)
        if noeud.get("Relation Name") == "parcours_inscription"
    ]
    assert lectures
    assert all(dans_une_sous_requete(noeud, chemin) for noeud, chemin in lectures)
    assert not [
        noeud["Node Type"]
        for noeud, chemin in plans.noeuds(racine)
        if "Aggregate" in noeud["Node Type"] and not dans_une_sous_requete(noeud, chemin)
    ]
