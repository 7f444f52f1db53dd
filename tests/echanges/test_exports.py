import csv
import datetime
import io
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from candidats.models import CanalSourcing, Candidat
from ecoles.models import Filiere
from parcours.models import Inscription, Situation, Sortie
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    EntrepriseFactory,
    InscriptionFactory,
    ParcoursFactory,
    SortieFactory,
    StageFactory,
)
from tests.test_hostile_input import refuser_les_nul

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
# The request and the task the tests' backend runs at once: session and user; the export
# asked for and taken; its rows counted, then read in one query; marked done; its e-mail
# put in the outbox and sent; the session saved. The same for 1 row or 30.
REQUETES_D_UN_EXPORT = 16


@pytest.fixture
def nul_refuse_comme_postgresql(db):
    with connection.execute_wrapper(refuser_les_nul):
        yield


def candidats_url(format="csv"):
    return reverse("echanges:export_candidats", args=[format])


def cohorte_url(cohorte, format="csv"):
    return reverse("echanges:export_cohorte", args=[cohorte.pk, format])


def sorties_url(format="csv"):
    return reverse("echanges:export_sorties", args=[format])


def exporter(client, url, params=None):
    """The file of a full export asked for as its page's button does: a POST with the
    page's criteria in the query string, its page, then the page's download link (the
    tests' task backend writes the file at once)."""
    if params:
        url = f"{url}?{urlencode(params)}"
    response = client.post(url)
    assert response.status_code == 302, response.content.decode()
    page = client.get(response.url)
    assert page.status_code == 200
    (lien,) = re.findall(r'href="([^"]+/fichier/)"', page.content.decode())
    fichier = client.get(lien)
    assert fichier.status_code == 200
    return fichier


def read_csv(response):
    """The rows of a streamed CSV export, header first."""
    assert isinstance(response, StreamingHttpResponse)
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def read_xlsx(response):
    assert isinstance(response, FileResponse)
    feuille = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in feuille.iter_rows(values_only=True)]


def data_queries(context):
    """The queries of a request, without the savepoints of ATOMIC_REQUESTS."""
    return [
        query
        for query in context.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def as_dicts(rows):
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


# Access ------------------------------------------------------------------------------


def all_export_urls():
    cohorte = CohorteFactory()
    return [
        candidats_url(),
        candidats_url("xlsx"),
        cohorte_url(cohorte),
        cohorte_url(cohorte, "xlsx"),
        sorties_url(),
        sorties_url("xlsx"),
    ]


def test_anonymous_is_sent_to_the_login_page(client):
    for url in all_export_urls():
        response = client.get(url)

        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))


def test_partner_gets_403_even_on_the_cohorts_of_its_schools(client, partner_user):
    ecole = EcoleFactory(entreprises_adherentes=[partner_user.appartenances.get().entreprise])
    cohorte = CohorteFactory(parcours=ParcoursFactory(ecole=ecole))
    client.force_login(partner_user)

    for url in [*all_export_urls(), cohorte_url(cohorte)]:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("format", ["pdf", "xls", "CSV", "json"])
def test_an_unknown_format_is_a_404(client_staff, format):
    cohorte = CohorteFactory()

    assert client_staff.get(candidats_url(format)).status_code == 404
    assert client_staff.get(cohorte_url(cohorte, format)).status_code == 404
    assert client_staff.get(sorties_url(format)).status_code == 404


def test_an_unknown_cohort_is_a_404(client_staff):
    assert (
        client_staff.get(reverse("echanges:export_cohorte", args=[999, "csv"])).status_code == 404
    )


# Candidates --------------------------------------------------------------------------


def test_candidates_csv_has_french_headers_and_dates(client_staff):
    CandidatFactory(
        nom="Dubœuf",
        prenom="Hélène",
        date_naissance=datetime.date(1994, 1, 31),
        canal=CanalSourcing.MISSION_LOCALE,
        statut=Candidat.Statut.PRESELECTIONNE,
        ecole_visee=EcoleFactory(nom="École de la Logistique", ville="Douai"),
    )

    response = exporter(client_staff, candidats_url())

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"candidats-{TODAY:%Y-%m-%d}.csv" in disposition
    rows = read_csv(response)
    assert rows[0][:3] == ["Nom", "Prénom", "Date de naissance"]
    assert "Identifiant France Travail" in rows[0]
    ligne = as_dicts(rows)[0]
    assert ligne["Nom"] == "Dubœuf"
    assert ligne["Date de naissance"] == "31/01/1994"
    assert ligne["Canal de sourcing"] == "Mission locale"
    assert ligne["Statut"] == "Présélectionné"
    assert ligne["École visée"] == "École de la Logistique — Douai"
    assert ligne["Ajouté le"] == f"{TODAY:%d/%m/%Y}"
    assert "notes" not in " ".join(rows[0]).lower()


def test_candidates_export_applies_the_filters_of_the_list_page(client_staff):
    CandidatFactory(nom="Retenue", statut=Candidat.Statut.RETENU)
    CandidatFactory(nom="Ecartee", statut=Candidat.Statut.NON_RETENU)
    CandidatFactory(nom="Autre", statut=Candidat.Statut.RETENU, canal=CanalSourcing.CAP_EMPLOI)

    rows = read_csv(exporter(client_staff, candidats_url() + "?statut=retenu&canal=france_travail"))

    assert [row[0] for row in rows[1:]] == ["Retenue"]


def test_candidates_export_applies_the_search(client_staff):
    CandidatFactory(nom="Lemaître", prenom="Hélène")
    CandidatFactory(nom="Martin")

    rows = read_csv(exporter(client_staff, candidats_url() + "?q=lemaitre"))

    assert [row[0] for row in rows[1:]] == ["Lemaître"]


def test_candidates_export_of_a_school_lists_its_aimed_and_enrolled_candidates(client_staff):
    ecole = EcoleFactory()
    CandidatFactory(nom="Visee", ecole_visee=ecole)
    InscriptionFactory(candidat__nom="Inscrite", cohorte__parcours__ecole=ecole)
    CandidatFactory(nom="Ailleurs")

    rows = read_csv(exporter(client_staff, candidats_url() + f"?ecole={ecole.pk}"))

    assert sorted(row[0] for row in rows[1:]) == ["Inscrite", "Visee"]


def test_candidates_xlsx_opens_with_the_rows_and_real_dates(client_staff):
    CandidatFactory(nom="Bernard", date_naissance=datetime.date(2001, 5, 4))
    CandidatFactory(nom="Adam")

    response = exporter(client_staff, candidats_url("xlsx"))

    assert f"candidats-{TODAY:%Y-%m-%d}.xlsx" in response["Content-Disposition"]
    rows = read_xlsx(response)
    assert rows[0][0] == "Nom"
    assert [row[0] for row in rows[1:]] == ["Adam", "Bernard"]
    assert as_dicts(rows)[1]["Date de naissance"] == datetime.datetime(2001, 5, 4)


def xlsx_sheet(response):
    assert isinstance(response, FileResponse)
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


FORMULAS = ['=HYPERLINK("http://evil.example","clic")', "+33 6 12", "-1+1", "@SUM(A1)", "=1+1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_injection_is_neutralised_in_csv_with_a_leading_quote(client_staff, value):
    CandidatFactory(nom=value, commune="\tcmd")

    ligne = as_dicts(read_csv(exporter(client_staff, candidats_url())))[0]

    assert ligne["Nom"] == "'" + value
    assert ligne["Commune"] == "'\tcmd"


@pytest.mark.parametrize("value", FORMULAS)
def test_xlsx_stores_formula_like_text_as_text_cells_without_a_quote(client_staff, value):
    CandidatFactory(nom=value, commune="\tcmd")

    feuille = xlsx_sheet(exporter(client_staff, candidats_url("xlsx")))

    nom, commune = feuille["A2"], feuille["F2"]
    assert (nom.value, nom.data_type) == (value, "s")
    assert (commune.value, commune.data_type) == ("\tcmd", "s")


def test_xlsx_keeps_a_phone_number_as_text_with_its_leading_zero(client_staff):
    CandidatFactory(telephone="0612345678")

    feuille = xlsx_sheet(exporter(client_staff, candidats_url("xlsx")))

    assert feuille["E1"].value == "Téléphone"
    assert (feuille["E2"].value, feuille["E2"].data_type) == ("0612345678", "s")


def test_xlsx_header_is_frozen_and_filters_every_row(client_staff):
    CandidatFactory.create_batch(3)

    feuille = xlsx_sheet(exporter(client_staff, candidats_url("xlsx")))

    assert feuille.freeze_panes == "A2"
    assert feuille.auto_filter.ref == "A1:N4"
    assert feuille["A1"].font.bold


def test_xlsx_without_rows_filters_the_header_alone(client_staff):
    feuille = xlsx_sheet(exporter(client_staff, sorties_url("xlsx")))

    assert feuille.max_row == 1
    assert feuille.auto_filter.ref == "A1:M1"


def test_xlsx_columns_are_wide_enough_for_their_header(client_staff):
    CandidatFactory()

    feuille = xlsx_sheet(exporter(client_staff, candidats_url("xlsx")))

    entetes = {cell.column_letter: cell.value for cell in feuille[1]}
    for lettre, entete in entetes.items():
        assert feuille.column_dimensions[lettre].width >= len(entete) + 4, entete
    assert feuille.column_dimensions["D"].width == 30  # the e-mail, wider than its header


def test_control_characters_do_not_break_the_xlsx(client_staff):
    CandidatFactory(nom="Saut\x0cde page", prenom="Bip\x07")

    ligne = as_dicts(read_xlsx(exporter(client_staff, candidats_url("xlsx"))))[0]

    assert (ligne["Nom"], ligne["Prénom"]) == ("Sautde page", "Bip")


@pytest.mark.parametrize("nombre", [1, 30])
def test_candidates_csv_reads_the_same_queries_for_1_or_30_rows(client_staff, nombre):
    CandidatFactory.create_batch(nombre, ecole_visee=EcoleFactory())

    with CaptureQueriesContext(connection) as context:
        client_staff.post(candidats_url())
    requetes = len(data_queries(context))
    rows = read_csv(exporter(client_staff, candidats_url()))

    assert requetes == REQUETES_D_UN_EXPORT
    assert len(rows) == nombre + 1


# Cohort roster -----------------------------------------------------------------------


def test_cohort_roster_lists_trainees_with_host_companies_and_outcome(client_staff):
    cohorte = CohorteFactory(nom="Béthune printemps")
    ampere = EntrepriseFactory(nom="Ampere")
    cohorte.parcours.ecole.entreprises_adherentes.add(ampere)
    stagiaire = InscriptionFactory(
        cohorte=cohorte, candidat__nom="Durand", candidat__email="durand@example.org"
    )
    StageFactory(inscription=stagiaire, entreprise=ampere)
    sortie = SortieFactory(
        inscription__cohorte=cohorte, inscription__candidat__nom="Benali", situation=Situation.CDI
    )
    InscriptionFactory(candidat__nom="Ailleurs")

    response = client_staff.get(cohorte_url(cohorte))

    assert f"cohorte-bethune-printemps-{TODAY:%Y-%m-%d}.csv" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "Nom",
        "Prénom",
        "Courriel",
        "Téléphone",
        "Date d'entrée",
        "Statut",
        "Entreprises d'accueil",
        "Date de sortie",
        "Situation à la sortie",
        "Catégorie de sortie",
    ]
    benali, durand = as_dicts(rows)
    assert durand["Courriel"] == "durand@example.org"
    assert durand["Date d'entrée"] == f"{cohorte.date_debut:%d/%m/%Y}"
    assert durand["Statut"] == "En formation"
    assert durand["Entreprises d'accueil"] == "Ampere"
    assert durand["Situation à la sortie"] == ""
    assert benali["Statut"] == "Sortie"
    assert benali["Date de sortie"] == f"{sortie.date_sortie:%d/%m/%Y}"
    assert benali["Situation à la sortie"] == "CDI"
    assert benali["Catégorie de sortie"] == "Emploi durable"


def test_cohort_roster_xlsx_opens_with_the_trainees(client_staff):
    cohorte = CohorteFactory()
    InscriptionFactory.create_batch(3, cohorte=cohorte)

    rows = read_xlsx(client_staff.get(cohorte_url(cohorte, "xlsx")))

    assert len(rows) == 4
    assert isinstance(rows[1][4], datetime.datetime)


@pytest.mark.parametrize("nombre", [1, 20])
def test_cohort_roster_reads_the_same_queries_for_1_or_20_trainees(client_staff, nombre):
    cohorte = CohorteFactory()
    for inscription in InscriptionFactory.create_batch(nombre, cohorte=cohorte):
        StageFactory(inscription=inscription)

    with CaptureQueriesContext(connection) as context:
        rows = read_csv(client_staff.get(cohorte_url(cohorte)))

    # Session, user, session saved; the cohort, the host companies, the trainees.
    assert len(data_queries(context)) == 6
    assert len(rows) == nombre + 1


# Outcomes report ---------------------------------------------------------------------


def test_outcomes_report_has_one_row_per_exit(client_staff):
    ecole = EcoleFactory(nom="École de la Maintenance", ville="Cambrai")
    sortie = SortieFactory(
        inscription__cohorte__parcours__ecole=ecole,
        inscription__cohorte__nom="Cambrai 2025",
        inscription__candidat__nom="Petit",
        situation=Situation.CDD,
        date_debut_contrat=datetime.date(2025, 1, 1),
        date_fin_contrat=datetime.date(2025, 3, 31),
        employeur="Trémois",
        motif=Sortie.Motif.FIN_PARCOURS,
    )
    InscriptionFactory(statut=Inscription.Statut.EN_FORMATION)

    rows = read_csv(exporter(client_staff, sorties_url()))

    assert rows[0] == [
        "École",
        "Filière",
        "Cohorte",
        "Nom",
        "Prénom",
        "Date d'entrée",
        "Date de sortie",
        "Motif de sortie",
        "Situation à la sortie",
        "Catégorie de sortie",
        "Employeur",
        "Début du contrat",
        "Fin du contrat",
    ]
    (ligne,) = as_dicts(rows)
    assert ligne["École"] == "École de la Maintenance — Cambrai"
    assert ligne["Filière"] == "Maintenance industrielle"
    assert ligne["Cohorte"] == "Cambrai 2025"
    assert ligne["Nom"] == "Petit"
    assert ligne["Date de sortie"] == f"{sortie.date_sortie:%d/%m/%Y}"
    assert ligne["Motif de sortie"] == "Fin de parcours"
    assert ligne["Situation à la sortie"] == "CDD"
    assert ligne["Catégorie de sortie"] == "Emploi de transition"
    assert ligne["Employeur"] == "Trémois"
    assert ligne["Début du contrat"] == "01/01/2025"
    assert ligne["Fin du contrat"] == "31/03/2025"


def test_outcomes_report_leaves_the_contract_dates_empty_without_a_contract(client_staff):
    SortieFactory(
        situation=Situation.RECHERCHE_EMPLOI, date_debut_contrat=None, date_fin_contrat=None
    )

    (ligne,) = as_dicts(read_csv(exporter(client_staff, sorties_url())))

    assert (ligne["Début du contrat"], ligne["Fin du contrat"]) == ("", "")
    assert ligne["Catégorie de sortie"] == "Autre"


def test_outcomes_report_names_the_user_company_when_no_employer_is_typed(client_staff):
    SortieFactory(employeur="", entreprise_utilisatrice=EntrepriseFactory(nom="Big Ben"))

    (ligne,) = as_dicts(read_csv(exporter(client_staff, sorties_url())))

    assert ligne["Employeur"] == "Big Ben"


def test_outcomes_report_keeps_the_exits_of_the_period_and_school(client_staff):
    ecole = EcoleFactory(ville="Maubeuge")
    debut = TODAY - datetime.timedelta(days=400)
    dans_la_periode = SortieFactory(
        inscription__cohorte__parcours__ecole=ecole, inscription__candidat__nom="Dedans"
    )
    SortieFactory(inscription__cohorte__parcours__ecole=ecole, inscription__candidat__nom="Avant")
    Sortie.objects.filter(inscription__candidat__nom="Avant").update(date_sortie=debut)
    SortieFactory(inscription__candidat__nom="AutreEcole")
    du = dans_la_periode.date_sortie - datetime.timedelta(days=1)
    au = dans_la_periode.date_sortie

    response = exporter(
        client_staff,
        sorties_url(),
        {"debut": f"{du:%Y-%m-%d}", "fin": f"{au:%d/%m/%Y}", "ecole": ecole.pk},
    )

    assert [row[3] for row in read_csv(response)[1:]] == ["Dedans"]
    assert f"sorties-maubeuge-{TODAY:%Y-%m-%d}.csv" in response["Content-Disposition"]


def test_outcomes_report_keeps_the_exits_of_the_job_family(client_staff):
    logistique = EcoleFactory(filiere=Filiere.LOGISTIQUE)
    SortieFactory(
        inscription__cohorte__parcours__ecole=logistique, inscription__candidat__nom="Cariste"
    )
    SortieFactory(
        inscription__cohorte__parcours__ecole=EcoleFactory(filiere=Filiere.MAINTENANCE),
        inscription__candidat__nom="Mainteneur",
    )

    response = exporter(client_staff, sorties_url(), {"filiere": Filiere.LOGISTIQUE})

    assert [row[3] for row in read_csv(response)[1:]] == ["Cariste"]
    assert f"sorties-logistique-{TODAY:%Y-%m-%d}.csv" in response["Content-Disposition"]


def test_outcomes_report_xlsx_opens_with_the_rows(client_staff):
    SortieFactory.create_batch(2)

    rows = read_xlsx(exporter(client_staff, sorties_url("xlsx")))

    assert len(rows) == 3
    assert rows[0][0] == "École"


def test_outcomes_report_xlsx_holds_the_contract_dates_as_dates(client_staff):
    SortieFactory(
        situation=Situation.CDD,
        date_debut_contrat=datetime.date(2025, 2, 3),
        date_fin_contrat=datetime.date(2025, 9, 30),
    )

    (ligne,) = as_dicts(read_xlsx(exporter(client_staff, sorties_url("xlsx"))))

    assert ligne["Situation à la sortie"] == "CDD"
    assert ligne["Catégorie de sortie"] == "Emploi durable"
    assert ligne["Début du contrat"] == datetime.datetime(2025, 2, 3)
    assert ligne["Fin du contrat"] == datetime.datetime(2025, 9, 30)


@pytest.mark.parametrize(
    "params",
    [
        {"debut": "demain"},
        {"ecole": "999"},
        {"debut": "2025-06-01", "fin": "2025-01-01"},
        {"filiere": "astrologie"},
    ],
)
def test_outcomes_report_with_bad_criteria_is_a_400(client_staff, params):
    response = client_staff.post(f"{sorties_url()}?{urlencode(params)}")

    assert response.status_code == 400
    assert "Critères d'export invalides" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"debut": "9999-12-31"}, "Début de la période : Choisissez une date entre le 01/01/2000"),
        ({"fin": "0001-01-01"}, "Fin de la période : Choisissez une date entre le 01/01/2000"),
        ({"filiere": "astrologie"}, "Filière : Choisissez une filière de la liste."),
        ({"filiere": "logistique\x00"}, "Filière : Choisissez une filière de la liste."),
        ({"ecole": "\x00"}, "École : Le caractère nul n’est pas autorisé."),
        ({"ecole": "999"}, "École : Choisissez une école de la liste."),
        ({"debut": "2025-01-01\x00"}, "Début de la période : Saisissez une date valide."),
    ],
)
def test_outcomes_report_names_the_criterion_it_refuses(
    client_staff, nul_refuse_comme_postgresql, params, message
):
    SortieFactory()

    response = client_staff.post(f"{sorties_url()}?{urlencode(params)}")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()


def test_outcomes_report_keeps_the_exits_up_to_the_last_day_of_the_bounds(client_staff):
    SortieFactory(inscription__candidat__nom="Dedans")

    response = exporter(client_staff, sorties_url(), {"debut": "2000-01-01", "fin": "31/12/2099"})

    assert [row[3] for row in read_csv(response)[1:]] == ["Dedans"]


@pytest.mark.parametrize("nombre", [1, 10])
def test_outcomes_report_reads_the_same_queries_for_1_or_10_exits(client_staff, nombre):
    SortieFactory.create_batch(nombre)

    with CaptureQueriesContext(connection) as context:
        client_staff.post(sorties_url())
    requetes = len(data_queries(context))
    rows = read_csv(exporter(client_staff, sorties_url()))

    assert requetes == REQUETES_D_UN_EXPORT
    assert len(rows) == nombre + 1


# Import templates --------------------------------------------------------------------


def test_import_templates_have_the_expected_header_and_an_example(client_staff):
    rows = read_csv(client_staff.get(reverse("echanges:modele_import", args=["csv"])))
    classeur = read_xlsx(client_staff.get(reverse("echanges:modele_import", args=["xlsx"])))

    assert rows[0][:2] == ["Nom", "Prénom"]
    assert "Identifiant France Travail" in rows[0]
    assert rows[1][2] == "14/03/1998"
    assert classeur[0] == rows[0]
    assert len(classeur) == 2
    assert client_staff.get(reverse("echanges:modele_import", args=["ods"])).status_code == 404
