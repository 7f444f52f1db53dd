import datetime
import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from ecoles.models import Filiere
from indicateurs.forms import PeriodeForm
from parcours.models import Situation, Sortie
from tests.echanges.test_exports import exporter
from tests.factories import (
    CohorteFactory,
    EcoleFactory,
    InscriptionFactory,
    ParcoursFactory,
    SortieFactory,
)

from .pages import export_links, headline_figures, read_csv, read_xlsx, section, table_rows

pytestmark = pytest.mark.django_db
URL = reverse("indicateurs:tableau")
ANNEE_2025 = {"debut": "2025-01-01", "fin": "2025-12-31"}
D = datetime.date


def enroll(cohorte, count=1):
    return [InscriptionFactory(cohorte=cohorte) for _ in range(count)]


def record_exit(
    inscription, date_sortie, situation, *, motif=Sortie.Motif.FIN_PARCOURS, contrat=None
):
    debut, fin = contrat or (date_sortie + datetime.timedelta(days=1), None)
    return SortieFactory(
        inscription=inscription,
        date_sortie=date_sortie,
        motif=motif,
        situation=situation,
        date_debut_contrat=debut,
        date_fin_contrat=fin,
    )


@pytest.fixture
def programme():
    """Two schools, hand-counted for 2025.

    Lille (maintenance): cohort A1 from 6 Jan 2025 with five exits — a CDI, a 7-month
    CDD (durable), a 5-month CDD (transition), a qualifying training (positive), a
    dropout — and cohort A2 from 1 Sep 2025 with two trainees and no exit yet.
    Douai (logistique): cohort B1 from 3 Feb 2025, one exit into a CDI in 2025 and one
    in January 2026; cohort B0 entirely in 2024.
    """
    lille = EcoleFactory(nom="École de la Maintenance", ville="Lille", filiere=Filiere.MAINTENANCE)
    douai = EcoleFactory(nom="École de la Logistique", ville="Douai", filiere=Filiere.LOGISTIQUE)
    maintenance = ParcoursFactory(ecole=lille)
    logistique = ParcoursFactory(ecole=douai)

    a1 = CohorteFactory(parcours=maintenance, nom="Lille A1", date_debut=D(2025, 1, 6))
    cdi, cdd_7_mois, cdd_5_mois, formation, abandon = enroll(a1, 5)
    record_exit(cdi, D(2025, 6, 30), Situation.CDI)
    record_exit(cdd_7_mois, D(2025, 6, 30), Situation.CDD, contrat=(D(2025, 7, 1), D(2026, 1, 31)))
    record_exit(cdd_5_mois, D(2025, 6, 30), Situation.CDD, contrat=(D(2025, 7, 1), D(2025, 11, 30)))
    record_exit(formation, D(2025, 6, 30), Situation.FORMATION_QUALIFIANTE)
    record_exit(abandon, D(2025, 3, 14), Situation.RECHERCHE_EMPLOI, motif=Sortie.Motif.ABANDON)
    a2 = CohorteFactory(parcours=maintenance, nom="Lille A2", date_debut=D(2025, 9, 1))
    enroll(a2, 2)

    b1 = CohorteFactory(parcours=logistique, nom="Douai B1", date_debut=D(2025, 2, 3))
    embauche_2025, embauche_2026 = enroll(b1, 2)
    record_exit(embauche_2025, D(2025, 7, 15), Situation.CDI)
    record_exit(embauche_2026, D(2026, 1, 15), Situation.CDI)
    b0 = CohorteFactory(parcours=logistique, nom="Douai B0", date_debut=D(2024, 3, 4))
    (embauche_2024,) = enroll(b0)
    record_exit(embauche_2024, D(2024, 8, 1), Situation.CDI)
    return {"lille": lille, "douai": douai}


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_partner_is_refused(client, partner_user):
    client.force_login(partner_user)

    response = client.get(URL)

    assert response.status_code == 403


def test_staff_opens_the_page_on_this_year_s_figures(client_staff):
    today = timezone.localdate()
    lille = EcoleFactory(nom="École de la Maintenance", ville="Lille")
    cohorte = CohorteFactory(parcours=ParcoursFactory(ecole=lille), date_debut=today)
    _, embauche = enroll(cohorte, 2)
    record_exit(embauche, today, Situation.CDI)

    response = client_staff.get(URL)

    assert response.status_code == 200
    assert headline_figures(response) == {
        "Taux d'insertion": "100 %",
        "Taux de sorties dynamiques": "100 %",
        "Entrées en formation": "2",
        "Sorties": "1",
        "Abandons": "0",
        "Sorties en emploi durable": "1",
        "Sorties en emploi de transition": "0",
        "Sorties positives": "0",
    }
    assert table_rows(response, "table-par-ecole") == [
        ["École de la Maintenance — Lille", "2", "1", "0", "1", "0", "0", "100 %", "100 %"]
    ]
    assert len(read_csv(exporter(client_staff, export_links(response)["csv"]))) == 1 + 1


def test_headline_figures_match_the_hand_count(client_staff, programme):
    response = client_staff.get(URL, ANNEE_2025)

    assert headline_figures(response) == {
        "Taux d'insertion": "50 %",
        "Taux de sorties dynamiques": "83,3 %",
        "Entrées en formation": "9",
        "Sorties": "6",
        "Abandons": "1",
        "Sorties en emploi durable": "3",
        "Sorties en emploi de transition": "1",
        "Sorties positives": "1",
    }


def test_rows_by_school(client_staff, programme):
    response = client_staff.get(URL, ANNEE_2025)

    assert table_rows(response, "table-par-ecole") == [
        ["École de la Logistique — Douai", "2", "1", "0", "1", "0", "0", "100 %", "100 %"],
        ["École de la Maintenance — Lille", "7", "5", "1", "2", "1", "1", "40 %", "80 %"],
    ]


def test_rows_by_job_family(client_staff, programme):
    response = client_staff.get(URL, ANNEE_2025)

    assert table_rows(response, "table-par-filiere") == [
        ["Logistique", "2", "1", "0", "1", "0", "0", "100 %", "100 %"],
        ["Maintenance industrielle", "7", "5", "1", "2", "1", "1", "40 %", "80 %"],
    ]


def test_rows_by_cohort_show_a_dash_for_a_cohort_without_exit(client_staff, programme):
    response = client_staff.get(URL, ANNEE_2025)

    rows = table_rows(response, "table-par-cohorte")
    assert [row[0] for row in rows] == [
        "Lille A1 Lille, début le 06/01/2025",
        "Douai B1 Douai, début le 03/02/2025",
        "Lille A2 Lille, début le 01/09/2025",
    ]
    assert [row[1:] for row in rows] == [
        ["5", "5", "1", "2", "1", "1", "40 %", "80 %"],
        ["2", "1", "0", "1", "0", "0", "100 %", "100 %"],
        ["2", "0", "0", "0", "0", "0", "—", "—"],
    ]


def test_rows_by_year_count_entries_and_exits_in_the_year_they_happened(client_staff, programme):
    response = client_staff.get(URL, {"debut": "2024-01-01", "fin": "2026-12-31"})

    assert table_rows(response, "table-par-annee") == [
        ["2024", "1", "1", "0", "1", "0", "0", "100 %", "100 %"],
        ["2025", "9", "6", "1", "3", "1", "1", "50 %", "83,3 %"],
        ["2026", "0", "1", "0", "1", "0", "0", "100 %", "100 %"],
    ]


def test_period_leaves_out_exits_outside_it(client_staff, programme):
    response = client_staff.get(URL, {"debut": "2025-01-01", "fin": "2025-06-29"})

    figures = headline_figures(response)
    # Only the dropout of 14 March; the four exits of 30 June are one day too late.
    assert figures["Sorties"] == "1"
    assert figures["Abandons"] == "1"
    assert figures["Taux d'insertion"] == "0 %"
    assert figures["Entrées en formation"] == "7"


def test_school_filter_narrows_every_figure(client_staff, programme):
    response = client_staff.get(URL, {**ANNEE_2025, "ecole": programme["douai"].pk})

    assert headline_figures(response)["Entrées en formation"] == "2"
    assert headline_figures(response)["Taux d'insertion"] == "100 %"
    assert [row[0] for row in table_rows(response, "table-par-ecole")] == [
        "École de la Logistique — Douai"
    ]
    periode = response.text.split('id="periode"')[1].split("</p>")[0]
    assert "École de la Logistique — Douai" in periode


def test_job_family_filter_narrows_every_figure(client_staff, programme):
    response = client_staff.get(URL, {**ANNEE_2025, "filiere": Filiere.MAINTENANCE})

    figures = headline_figures(response)
    assert figures["Entrées en formation"] == "7"
    assert figures["Sorties"] == "5"
    assert figures["Taux d'insertion"] == "40 %"
    assert [row[0] for row in table_rows(response, "table-par-filiere")] == [
        "Maintenance industrielle"
    ]


def test_no_exit_shows_dashes_instead_of_dividing_by_zero(client_staff):
    response = client_staff.get(URL)

    assert response.status_code == 200
    figures = headline_figures(response)
    assert figures["Sorties"] == "0"
    assert figures["Taux d'insertion"] == "—"
    assert figures["Taux de sorties dynamiques"] == "—"


def test_default_period_runs_from_the_first_of_january_to_today(client_staff):
    today = timezone.localdate()
    cohorte = CohorteFactory(date_debut=today)
    record_exit(InscriptionFactory(cohorte=cohorte), today, Situation.CDI)
    last_year = CohorteFactory(date_debut=D(today.year - 1, 1, 5))
    record_exit(InscriptionFactory(cohorte=last_year), D(today.year - 1, 12, 31), Situation.CDI)

    response = client_staff.get(URL)

    assert f'value="{today.year}-01-01"' in response.text
    assert f'value="{today.isoformat()}"' in response.text
    assert headline_figures(response)["Sorties"] == "1"
    assert headline_figures(response)["Entrées en formation"] == "1"


def test_insertion_rate_charts_are_svg_bars_beside_their_table(client_staff, programme):
    response = client_staff.get(URL, ANNEE_2025)

    par_ecole = section(response, "par-ecole")
    assert "<figure" in par_ecole and "<figcaption>" in par_ecole
    assert 'role="img"' in par_ecole
    assert (
        'aria-label="Taux d&#x27;insertion par école : '
        "École de la Logistique — Douai 100 %, École de la Maintenance — Lille 40 %"
    ) in par_ecole
    # 100 % fills the 560 units of the scale, 40 % takes 224 of them.
    assert 'width="560"' in par_ecole
    assert 'width="224"' in par_ecole
    assert 'id="table-par-ecole"' in par_ecole
    par_filiere = section(response, "par-filiere")
    assert "<svg" in par_filiere and 'id="table-par-filiere"' in par_filiere


def test_page_obeys_the_content_security_policy(client_staff, programme):
    response = client_staff.get(URL, ANNEE_2025)

    assert "style=" not in response.text
    # Scripts come from the portal's own files, never inline.
    assert re.search(r"<script(?![^>]*\bsrc=)", response.text) is None
    assert "static/css/indicateurs.css" in response.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"debut": "pas-une-date"}, "Saisissez une date valide."),
        ({"fin": "2025-02-30"}, "Saisissez une date valide."),
        (
            {"debut": "2025-12-31", "fin": "2025-01-01"},
            "La date de début de la période doit précéder sa date de fin.",
        ),
        ({"debut": "0001-01-01"}, "Choisissez une date entre le 01/01/2000 et le 31/12/2099."),
        ({"fin": "9999-12-31"}, "Choisissez une date entre le 01/01/2000 et le 31/12/2099."),
        ({"ecole": "abc"}, "Sélectionnez un choix valide."),
        ({"filiere": "astrologie"}, "Sélectionnez un choix valide."),
    ],
)
def test_bad_filters_show_a_form_error(client_staff, params, message):
    response = client_staff.get(URL, params)

    assert response.status_code == 200
    assert message in response.text
    assert "Corrigez la période pour afficher les indicateurs." in response.text
    assert 'id="chiffres-cles"' not in response.text


@pytest.mark.parametrize("rows", [1, 50])
def test_page_queries_do_not_grow_with_rows(client_staff, django_assert_num_queries, rows):
    today = timezone.localdate()
    for _ in range(rows):
        SortieFactory()
        InscriptionFactory()
    period = {
        "debut": (today - datetime.timedelta(days=365)).isoformat(),
        "fin": (today + datetime.timedelta(days=365)).isoformat(),
    }

    # The request's savepoint, session and user; entries and exits by cohort and year from
    # the day rows (1), every breakdown and the headline figures adding up those groups (it
    # was 8 queries, two per breakdown); the funnel by channel, summed for the overall one
    # (day rows as well); the schools of
    # the filter form; the funders' figures (exits, answers at 6 months); the funnel from
    # the events (participations and sources with their candidates' steps counted in one,
    # events per type, schools, years); release; the session's rolling expiry (savepoint,
    # update, release).
    with django_assert_num_queries(16):
        response = client_staff.get(URL, period)

    assert headline_figures(response)["Entrées en formation"] == str(2 * rows)
    assert len(table_rows(response, "table-par-ecole")) == 2 * rows


@pytest.mark.parametrize("rows", [1, 50])
def test_filtered_page_queries_do_not_grow_with_rows(client_staff, django_assert_num_queries, rows):
    today = timezone.localdate()
    parcours = ParcoursFactory(ecole=EcoleFactory(filiere=Filiere.MAINTENANCE))
    for _ in range(rows):
        cohorte = CohorteFactory(parcours=parcours)
        SortieFactory(inscription__cohorte=cohorte)
        InscriptionFactory(cohorte=cohorte)
    filtres = {
        "debut": (today - datetime.timedelta(days=365)).isoformat(),
        "fin": (today + datetime.timedelta(days=365)).isoformat(),
        "ecole": parcours.ecole.pk,
        "filiere": Filiere.MAINTENANCE,
    }

    # As unfiltered, plus the chosen school read by the form: the request's savepoint,
    # session and user; the school of the filter; entries and exits by cohort and year (1);
    # the funnel by channel; the schools of the filter form; the funders' figures (2);
    # the funnel from the events (4); release; the session's rolling expiry (savepoint,
    # update, release).
    with django_assert_num_queries(17):
        response = client_staff.get(URL, filtres)

    assert headline_figures(response)["Entrées en formation"] == str(2 * rows)
    assert len(table_rows(response, "table-par-cohorte")) == min(rows, 25)


@pytest.mark.parametrize(
    ("ecole", "filiere"),
    [
        (None, ""),
        (None, Filiere.MAINTENANCE),
        (None, Filiere.LOGISTIQUE),
        ("douai", ""),
        ("lille", Filiere.MAINTENANCE),
        ("lille", Filiere.LOGISTIQUE),
    ],
)
def test_export_links_download_exactly_the_exits_the_page_counts(
    client_staff, programme, ecole, filiere
):
    filtres = {**ANNEE_2025, "ecole": programme[ecole].pk if ecole else "", "filiere": filiere}
    response = client_staff.get(URL, filtres)

    links = export_links(response)
    csv_rows = read_csv(exporter(client_staff, links["csv"]))
    xlsx_rows = read_xlsx(exporter(client_staff, links["xlsx"]))

    # Without any entry or exit, the page has no table by school but an empty state.
    schools = table_rows(response, "table-par-ecole") if "table-par-ecole" in response.text else []
    exits_by_school = {row[0]: int(row[2]) for row in schools if row[2] != "0"}
    assert sum(exits_by_school.values()) == int(headline_figures(response)["Sorties"])
    assert Counter(row[0] for row in csv_rows[1:]) == exits_by_school
    assert Counter(row[0] for row in xlsx_rows[1:]) == exits_by_school
    if filiere:
        assert {row[1] for row in csv_rows[1:]} <= {Filiere(filiere).label}


def test_export_links_carry_every_filter_of_the_form(client_staff, programme):
    filtres = {**ANNEE_2025, "ecole": str(programme["lille"].pk), "filiere": Filiere.MAINTENANCE}
    # A filter added to the form and left out of the links would fail here.
    assert set(filtres) == set(PeriodeForm.base_fields)

    response = client_staff.get(URL, filtres)

    for link in export_links(response).values():
        assert dict(parse_qsl(urlsplit(link).query)) == filtres


def test_export_links_carry_the_default_period(client_staff):
    today = timezone.localdate()

    response = client_staff.get(URL)

    for link in export_links(response).values():
        assert dict(parse_qsl(urlsplit(link).query)) == {
            "debut": f"{today.year}-01-01",
            "fin": today.isoformat(),
        }


@pytest.fixture
def twenty_seven_cohorts():
    """27 cohorts of one school starting on the 1st to the 27th of March 2025, one trainee
    each, and an exit into a CDI for the trainee of the last one."""
    parcours = ParcoursFactory(ecole=EcoleFactory(ville="Arras"))
    cohortes = [
        CohorteFactory(parcours=parcours, nom=f"Arras {jour:02}", date_debut=D(2025, 3, jour))
        for jour in range(1, 28)
    ]
    for cohorte in cohortes:
        enroll(cohorte)
    record_exit(cohortes[-1].inscriptions.get(), D(2025, 9, 30), Situation.CDI)


def test_cohorts_are_shown_25_to_a_page_oldest_first(client_staff, twenty_seven_cohorts):
    response = client_staff.get(URL, ANNEE_2025)

    rows = table_rows(response, "table-par-cohorte")
    assert len(rows) == 25
    assert rows[0][0] == "Arras 01 Arras, début le 01/03/2025"
    assert rows[-1][0] == "Arras 25 Arras, début le 25/03/2025"
    par_cohorte = section(response, "par-cohorte")
    assert "Cohortes 1 à 25 sur 27" in par_cohorte
    assert "Page 1 sur 2" in par_cohorte
    # The next page keeps the period of the page.
    assert 'href="?debut=2025-01-01&amp;fin=2025-12-31&amp;page_cohortes=2#par-cohorte"' in (
        par_cohorte
    )
    # Every cohort still counts in the headline figures and the other breakdowns.
    assert headline_figures(response)["Entrées en formation"] == "27"
    assert headline_figures(response)["Sorties"] == "1"
    assert table_rows(response, "table-par-annee") == [
        ["2025", "27", "1", "0", "1", "0", "0", "100 %", "100 %"]
    ]


def test_second_page_of_cohorts_shows_the_last_ones(client_staff, twenty_seven_cohorts):
    response = client_staff.get(URL, {**ANNEE_2025, "page_cohortes": "2"})

    assert table_rows(response, "table-par-cohorte") == [
        ["Arras 26 Arras, début le 26/03/2025", "1", "0", "0", "0", "0", "0", "—", "—"],
        ["Arras 27 Arras, début le 27/03/2025", "1", "1", "0", "1", "0", "0", "100 %", "100 %"],
    ]
    par_cohorte = section(response, "par-cohorte")
    assert "Cohortes 26 à 27 sur 27" in par_cohorte
    assert "Page 2 sur 2" in par_cohorte
    assert headline_figures(response)["Entrées en formation"] == "27"


@pytest.mark.parametrize(("page", "premiere"), [("abc", "Arras 01"), ("99", "Arras 26")])
def test_a_bad_cohort_page_falls_back_to_a_real_one(
    client_staff, twenty_seven_cohorts, page, premiere
):
    response = client_staff.get(URL, {**ANNEE_2025, "page_cohortes": page})

    assert response.status_code == 200
    assert table_rows(response, "table-par-cohorte")[0][0].startswith(premiere)


def test_a_single_page_of_cohorts_has_no_page_links(client_staff, programme):
    response = client_staff.get(URL, ANNEE_2025)

    par_cohorte = section(response, "par-cohorte")
    assert "3 cohortes, de la plus ancienne à la plus récente" in par_cohorte
    assert "page_cohortes" not in par_cohorte
