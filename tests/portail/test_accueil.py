import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

import portail.views
from candidats.models import Candidat
from parcours.dates import add_months
from portail import pagination
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    InscriptionFactory,
    SortieFactory,
    SuiviFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("portail:accueil")
SUIVIS_DU_MOIS = reverse("parcours:suivis_du_mois")
D = datetime.date


def text_of(html):
    return " ".join(unescape(strip_tags(html)).split())


def overdue_section(response):
    return response.text.split('id="suivis-en-retard"')[1].split("</article>")[0]


def overdue_months(response):
    """The overdue months as listed: heading, its link and the rows shown under it."""
    return [
        {
            "titre": text_of(re.search(r"<h3>(.*?)</h3>", group, re.S)[1]),
            "lien": unescape(re.search(r'<h3><a href="([^"]*)"', group)[1]),
            "lignes": [text_of(row) for row in re.findall(r"<li>(.*?)</li>", group, re.S)],
        }
        for group in overdue_section(response).split("<section>")[1:]
    ]


def coming_due(response):
    """The line about the month coming due: its text and its link."""
    line = re.search(r'<p id="suivis-a-saisir">(.*?)</p>', response.text, re.S)[1]
    return text_of(line), unescape(re.search(r'href="([^"]*)"', line)[1])


def trainee(cohorte, nom, *mois_suivis):
    """A trainee of `cohorte` from its first day, with the check-ins of `mois_suivis`."""
    inscription = InscriptionFactory(cohorte=cohorte, candidat__nom=nom, candidat__prenom="Léa")
    for mois in mois_suivis:
        SuiviFactory(inscription=inscription, mois=mois)
    return inscription


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


def test_empty_home_page_offers_the_next_step(client_staff):
    response = client_staff.get(URL)

    assert f'<a href="{reverse("parcours:cohorte_creer")}" role="button">Créer une cohorte</a>' in (
        response.text
    )
    assert f'href="{reverse("echanges:import_candidats")}"' in response.text
    assert "Importer des candidats" in response.text


def a_cohort_running_since_three_months():
    debut = add_months(timezone.localdate(), -3).replace(day=1)
    return CohorteFactory(date_debut=debut, nom="Promotion Béthune 2026")


def test_every_overdue_month_counts_and_shows_oldest_first(client_staff, today_is):
    today_is(D(2026, 12, 15))
    cohorte = CohorteFactory(date_debut=D(2026, 10, 5))
    trainee(cohorte, "Oubliéduzèle")
    trainee(cohorte, "Sansoctobre", D(2026, 11, 1))
    trainee(cohorte, "Bienvenu", D(2026, 10, 1), D(2026, 11, 1))

    response = client_staff.get(URL)

    assert overdue_months(response) == [
        {
            "titre": "octobre 2026 — 2 suivis en retard",
            "lien": f"{SUIVIS_DU_MOIS}?mois=2026-10",
            "lignes": [
                f"Léa Oubliéduzèle {cohorte.parcours.ecole.ville} — {cohorte} Saisir le suivi",
                f"Léa Sansoctobre {cohorte.parcours.ecole.ville} — {cohorte} Saisir le suivi",
            ],
        },
        {
            "titre": "novembre 2026 — 1 suivi en retard",
            "lien": f"{SUIVIS_DU_MOIS}?mois=2026-11",
            "lignes": [
                f"Léa Oubliéduzèle {cohorte.parcours.ecole.ville} — {cohorte} Saisir le suivi"
            ],
        },
    ]
    assert 'badge badge-danger">3</span>' in overdue_section(response)
    assert "Bienvenu" not in overdue_section(response)


def test_each_overdue_row_opens_the_check_in_of_its_month(client_staff, today_is):
    today_is(D(2026, 12, 15))
    sans_octobre = trainee(CohorteFactory(date_debut=D(2026, 10, 5)), "Sansoctobre", D(2026, 11, 1))

    response = client_staff.get(URL)

    saisir = reverse("parcours:suivi_creer", args=[sans_octobre.pk])
    assert f'href="{saisir}?mois=2026-10"' in overdue_section(response)
    assert f'href="{saisir}?mois=2026-11"' not in overdue_section(response)


def test_overdue_months_are_looked_for_over_the_last_twelve(client_staff, today_is):
    today_is(D(2026, 12, 15))
    # From 1 September 2025 to January 2026; November 2025 is the thirteenth month back.
    cohorte = CohorteFactory(date_debut=D(2025, 9, 1))
    septembre, octobre, novembre, decembre, janvier = (
        D(2025, 9, 1),
        D(2025, 10, 1),
        D(2025, 11, 1),
        D(2025, 12, 1),
        D(2026, 1, 1),
    )
    trainee(cohorte, "Sansnovembre", septembre, octobre, decembre, janvier)
    trainee(cohorte, "Sansdecembre", septembre, octobre, novembre, janvier)

    response = client_staff.get(URL)

    assert [month["titre"] for month in overdue_months(response)] == [
        "décembre 2025 — 1 suivi en retard"
    ]
    assert "Sansnovembre" not in overdue_section(response)
    assert "de décembre 2025 à novembre 2026" in overdue_section(response)


def test_first_rows_come_from_the_oldest_months_and_every_month_keeps_its_count(
    client_staff, today_is
):
    today_is(D(2026, 12, 15))
    cohorte = CohorteFactory(date_debut=D(2026, 10, 5))
    for number in range(6):
        trainee(cohorte, f"Sansoctobre{number}")
        trainee(cohorte, f"Seulementnovembre{number}", D(2026, 10, 1))

    response = client_staff.get(URL)

    octobre, novembre = overdue_months(response)
    assert octobre["titre"] == "octobre 2026 — 6 suivis en retard"
    assert len(octobre["lignes"]) == 6
    assert novembre["titre"] == "novembre 2026 — 12 suivis en retard"
    assert len(novembre["lignes"]) == 4
    assert 'badge badge-danger">18</span>' in overdue_section(response)
    assert "Les 10 plus anciens sont affichés" in overdue_section(response)


def test_on_the_first_of_the_month_the_previous_month_is_coming_due(client_staff, today_is):
    today_is(D(2026, 12, 1))
    cohorte = CohorteFactory(date_debut=D(2026, 10, 5))
    trainee(cohorte, "Ajour", D(2026, 10, 1), D(2026, 11, 1))
    trainee(cohorte, "Enattente", D(2026, 10, 1))
    trainee(cohorte, "Aussienattente", D(2026, 10, 1))

    response = client_staff.get(URL)

    assert coming_due(response) == (
        "novembre : 2 suivis à saisir avant le 10/12",
        f"{SUIVIS_DU_MOIS}?mois=2026-11",
    )
    assert overdue_months(response) == []
    assert "Aucun suivi en retard de novembre 2025 à octobre 2026." in overdue_section(response)


@pytest.mark.parametrize(
    ("today", "coming_due_line", "overdue"),
    [
        (D(2026, 12, 9), "novembre : 2 suivis à saisir avant le 10/12", []),
        (
            D(2026, 12, 10),
            "décembre : 3 suivis à saisir avant le 10/01",
            ["novembre 2026 — 2 suivis en retard"],
        ),
    ],
)
def test_a_month_turns_overdue_on_its_deadline(
    client_staff, today_is, today, coming_due_line, overdue
):
    today_is(today)
    cohorte = CohorteFactory(date_debut=D(2026, 10, 5))
    trainee(cohorte, "Ajour", D(2026, 10, 1), D(2026, 11, 1))
    trainee(cohorte, "Enattente", D(2026, 10, 1))
    trainee(cohorte, "Aussienattente", D(2026, 10, 1))

    response = client_staff.get(URL)

    assert coming_due(response)[0] == coming_due_line
    assert [month["titre"] for month in overdue_months(response)] == overdue


def test_month_coming_due_says_so_when_every_check_in_is_in(client_staff, today_is):
    today_is(D(2026, 12, 1))
    trainee(CohorteFactory(date_debut=D(2026, 10, 5)), "Ajour", D(2026, 10, 1), D(2026, 11, 1))

    response = client_staff.get(URL)

    assert coming_due(response)[0] == (
        "novembre : tous les suivis sont saisis, l'échéance est le 10/12"
    )


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
def test_home_page_queries_do_not_grow_with_rows(
    client_staff, django_assert_num_queries, today_is, rows
):
    today = today_is(D(2026, 12, 15))
    cohorte = CohorteFactory(date_debut=D(2026, 10, 5))
    ended = CohorteFactory(date_debut=today - datetime.timedelta(weeks=40))
    for _ in range(rows):
        InscriptionFactory(cohorte=cohorte)
        InscriptionFactory(cohorte=ended)
        CandidatFactory(statut=Candidat.Statut.PRESELECTIONNE)

    # The request's savepoint, session and user; the overdue months with their counts,
    # the first overdue rows with their trainees; the count of the month coming due; the
    # first cohorts in progress with their total, then their phase of the day; the first
    # exits to record, their candidates, and their count; the first pre-selected
    # candidates and their count; the first trainees with too many unjustified absences
    # this month and their count; release; the session's rolling expiry (savepoint,
    # update, release).
    with django_assert_num_queries(19):
        response = client_staff.get(URL)

    assert response.status_code == 200
    # The ended cohort's six months (March to August) and the running one's two.
    assert len(overdue_months(response)) == 8
    assert f'badge badge-danger">{8 * rows}</span>' in overdue_section(response)
    assert coming_due(response)[0].startswith(f"décembre : {rows} suivi")


def test_home_page_shows_the_first_running_cohorts_and_links_to_all(client_staff):
    for _ in range(12):
        CohorteFactory(date_debut=timezone.localdate() - datetime.timedelta(days=3))

    response = client_staff.get(URL)

    in_progress = response.text.split('id="cohortes-en-cours"')[1].split("</article>")[0]
    assert in_progress.count("<tr>") == 1 + 10
    assert "Voir les 12 cohortes en cours" in in_progress
    assert f"{reverse('parcours:cohortes')}?etat=en_cours" in in_progress


@pytest.fixture
def borne_de_cinq(monkeypatch):
    """A bound of 5 rows stands for the 1,000 of the real page, 3 rows for its 10."""
    monkeypatch.setattr(pagination, "LIGNES_PARCOURUES", 5)
    monkeypatch.setattr(portail.views, "APERCU", 3)


def test_overdue_past_the_bound_says_plus_de_and_shows_the_oldest_rows_uncounted(
    client_staff, today_is, borne_de_cinq
):
    today_is(D(2026, 12, 15))
    cohorte = CohorteFactory(date_debut=D(2026, 10, 5))
    for number in range(2):
        trainee(cohorte, f"Sansoctobre{number}", D(2026, 11, 1))
    for number in range(4):
        trainee(cohorte, f"Sansnovembre{number}", D(2026, 10, 1))

    response = client_staff.get(URL)

    octobre, novembre = overdue_months(response)
    assert octobre["titre"] == "octobre 2026 — suivis en retard"
    assert [ligne.split()[1] for ligne in octobre["lignes"]] == ["Sansoctobre0", "Sansoctobre1"]
    assert novembre["titre"] == "novembre 2026 — suivis en retard"
    assert [ligne.split()[1] for ligne in novembre["lignes"]] == ["Sansnovembre0"]
    assert 'badge badge-danger">plus de 5</span>' in overdue_section(response)
    assert "Plus de 5 suivis en retard, les mois ne sont pas comptés. Les 3 plus anciens" in (
        text_of(overdue_section(response))
    )


def test_overdue_within_the_bound_counts_every_month(client_staff, today_is, borne_de_cinq):
    today_is(D(2026, 12, 15))
    cohorte = CohorteFactory(date_debut=D(2026, 10, 5))
    for number in range(2):
        trainee(cohorte, f"Sansoctobre{number}", D(2026, 11, 1))
    for number in range(3):
        trainee(cohorte, f"Sansnovembre{number}", D(2026, 10, 1))

    response = client_staff.get(URL)

    assert [month["titre"] for month in overdue_months(response)] == [
        "octobre 2026 — 2 suivis en retard",
        "novembre 2026 — 3 suivis en retard",
    ]
    assert 'badge badge-danger">5</span>' in overdue_section(response)
    assert "ne sont pas comptés" not in overdue_section(response)


def test_overdue_rows_past_the_bound_read_a_bounded_number_of_rows(
    client_staff, today_is, borne_de_cinq
):
    today_is(D(2026, 12, 15))
    cohorte = CohorteFactory(date_debut=D(2026, 10, 5))
    for number in range(8):
        trainee(cohorte, f"Sansrien{number}")

    with CaptureQueriesContext(connection) as queries:
        client_staff.get(URL)

    # The missing check-ins are read from their table, their months up to one past the
    # bound and never counted to the end, then the first rows (beside them, the month
    # coming due is counted); no trainee is looked at for a missing check-in.
    lues = [
        q["sql"]
        for q in queries.captured_queries
        if "parcours_suivimanquant" in q["sql"] and "BETWEEN" in q["sql"]
    ]
    assert len(lues) == 2
    assert lues[0].rstrip().endswith("LIMIT 6")
    assert "COUNT(" not in lues[0]
    assert lues[1].rstrip().endswith("LIMIT 3")
    assert not [q for q in queries.captured_queries if 'FROM "parcours_suivi"' in q["sql"]]
