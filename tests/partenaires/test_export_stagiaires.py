"""The list of their trainees a partner downloads: their schools only, no personal data."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parcours.models import Inscription
from partenaires.models import Consultation
from tests.factories import (
    AppartenanceFactory,
    CandidatFactory,
    CohorteFactory,
    EntrepriseFactory,
    InscriptionFactory,
    PartenaireFactory,
    SortieFactory,
    StageFactory,
    UserFactory,
)

TODAY = timezone.localdate()
# The Béthune track: 6 weeks of theory, then the internship.
EN_STAGE = TODAY - datetime.timedelta(weeks=7)
ENTETE = [
    "École",
    "Cohorte",
    "Nom",
    "Prénom",
    "Phase du jour",
    "Début de la phase",
    "Fin de la phase",
    "Entreprise d'accueil",
]


def url(format="csv"):
    return reverse("partenaires:export_stagiaires", args=[format])


def telecharger(client, user, format="csv"):
    client.force_login(user)
    return client.get(url(format))


def lignes_csv(response):
    contenu = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(contenu, newline=""), delimiter=";"))


def lignes_xlsx(response):
    feuille = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in feuille.iter_rows(values_only=True)]


def as_dicts(rows):
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_file_gives_each_trainee_phase_of_the_day_dates_and_host(client, partenaire_a, ecole_a):
    cohorte = CohorteFactory(parcours__ecole=ecole_a, nom="Béthune printemps", date_debut=EN_STAGE)
    stage = StageFactory(
        inscription__cohorte=cohorte,
        inscription__candidat=CandidatFactory(
            nom="Zerrouki",
            prenom="Inès",
            telephone="0611223344",
            email="ines@example.org",
            date_naissance=datetime.date(1999, 4, 5),
            commune="Lens",
        ),
    )

    response = telecharger(client, partenaire_a)

    assert response.status_code == 200
    assert f"stagiaires-{TODAY:%Y-%m-%d}.csv" in response["Content-Disposition"]
    rows = lignes_csv(response)
    assert rows[0] == ENTETE
    assert as_dicts(rows) == [
        {
            "École": f"École de la conduite de ligne — {ecole_a.ville}",
            "Cohorte": "Béthune printemps",
            "Nom": "Zerrouki",
            "Prénom": "Inès",
            "Phase du jour": "Stage en entreprise",
            "Début de la phase": f"{stage.phase.date_debut:%d/%m/%Y}",
            "Fin de la phase": f"{stage.phase.date_fin:%d/%m/%Y}",
            "Entreprise d'accueil": "Ampere Béthune",
        }
    ]


def test_the_file_holds_no_contact_detail_birth_date_or_address(client, partenaire_a, cohorte_a):
    InscriptionFactory(
        cohorte=cohorte_a,
        candidat=CandidatFactory(
            telephone="0611223344",
            email="ines@example.org",
            date_naissance=datetime.date(1999, 4, 5),
            commune="Liévin",
            code_postal="62800",
            identifiant_france_travail="7654321Z",
            notes="Notes de l'équipe",
        ),
    )

    for format in ("csv", "xlsx"):
        contenu = b"".join(telecharger(client, partenaire_a, format).streaming_content)
        texte = (
            "\n".join(str(value) for row in lignes_xlsx_bytes(contenu) for value in row)
            if format == "xlsx"
            else contenu.decode("utf-8-sig")
        )
        for secret in (
            "0611223344",
            "ines@example.org",
            "05/04/1999",
            "1999-04-05",
            "Liévin",
            "62800",
            "7654321Z",
            "Notes",
        ):
            assert secret not in texte, (format, secret)


def lignes_xlsx_bytes(contenu):
    return load_workbook(io.BytesIO(contenu)).active.iter_rows(values_only=True)


def test_a_partner_of_another_school_never_gets_its_trainees(
    client, partenaire_a, partenaire_b, cohorte_a, cohorte_b
):
    InscriptionFactory(cohorte=cohorte_a, candidat__nom="Béthunoise")
    InscriptionFactory(cohorte=cohorte_b, candidat__nom="Douaisien")

    noms_a = [row["Nom"] for row in as_dicts(lignes_csv(telecharger(client, partenaire_a)))]
    noms_b = [
        row["Nom"] for row in as_dicts(lignes_xlsx(telecharger(client, partenaire_b, "xlsx")))
    ]

    assert noms_a == ["Béthunoise"]
    assert noms_b == ["Douaisien"]


def test_a_deactivated_membership_gives_an_empty_file(
    client, partenaire_a, entreprise_b, cohorte_a, cohorte_b
):
    InscriptionFactory(cohorte=cohorte_a, candidat__nom="Béthunoise")
    InscriptionFactory(cohorte=cohorte_b, candidat__nom="Douaisien")
    AppartenanceFactory(user=partenaire_a, entreprise=entreprise_b).desactiver()
    partenaire_a.appartenances.filter(entreprise__nom="Ampere Béthune").get().desactiver()

    rows = lignes_csv(telecharger(client, partenaire_a))

    assert rows == [ENTETE]


def test_trainees_who_left_are_not_in_the_file(client, partenaire_a, cohorte_a):
    InscriptionFactory(cohorte=cohorte_a, candidat__nom="Présente")
    SortieFactory(inscription__cohorte=cohorte_a, inscription__candidat__nom="Partie")

    noms = [row["Nom"] for row in as_dicts(lignes_csv(telecharger(client, partenaire_a)))]

    assert noms == ["Présente"]
    assert Inscription.objects.filter(statut=Inscription.Statut.SORTIE).count() == 1


def test_a_trainee_not_yet_in_an_internship_shows_the_next_host(client, partenaire_a, cohorte_a):
    stage = StageFactory(inscription__cohorte=cohorte_a)
    theorie = cohorte_a.phase_du_jour(TODAY)

    (ligne,) = as_dicts(lignes_csv(telecharger(client, partenaire_a)))

    assert ligne["Phase du jour"] == theorie.intitule
    assert ligne["Début de la phase"] == f"{theorie.date_debut:%d/%m/%Y}"
    assert ligne["Entreprise d'accueil"] == stage.entreprise.nom


def test_a_cohort_not_started_gives_no_phase_dates(client, partenaire_a, ecole_a):
    cohorte = CohorteFactory(
        parcours__ecole=ecole_a, date_debut=TODAY + datetime.timedelta(days=10)
    )
    InscriptionFactory(cohorte=cohorte)

    (ligne,) = as_dicts(lignes_csv(telecharger(client, partenaire_a)))

    assert ligne["Phase du jour"] == "Pas encore entré·e"
    assert (ligne["Début de la phase"], ligne["Fin de la phase"]) == ("", "")
    assert ligne["Entreprise d'accueil"] == ""


def test_the_xlsx_holds_the_same_rows_with_real_dates(client, partenaire_a, ecole_a):
    cohorte = CohorteFactory(parcours__ecole=ecole_a, date_debut=EN_STAGE)
    stage = StageFactory(inscription__cohorte=cohorte, inscription__candidat__nom="=1+1")

    response = telecharger(client, partenaire_a, "xlsx")

    assert f"stagiaires-{TODAY:%Y-%m-%d}.xlsx" in response["Content-Disposition"]
    rows = lignes_xlsx(response)
    assert rows[0] == ENTETE
    (ligne,) = as_dicts(rows)
    assert ligne["Nom"] == "=1+1"
    assert ligne["Début de la phase"] == datetime.datetime.combine(
        stage.phase.date_debut, datetime.time()
    )


def test_each_cohort_in_the_file_is_recorded_as_consulted(client, partenaire_a, ecole_a):
    premiere, seconde, vide = (CohorteFactory(parcours__ecole=ecole_a) for _ in range(3))
    InscriptionFactory(cohorte=premiere)
    InscriptionFactory(cohorte=seconde)
    # Its only trainee left: nothing of it is in the file.
    partie = SortieFactory(inscription__cohorte__parcours__ecole=ecole_a).inscription.cohorte

    telecharger(client, partenaire_a)

    consultees = Consultation.objects.filter(user=partenaire_a).values_list("cohorte", flat=True)
    assert sorted(consultees) == sorted([premiere.pk, seconde.pk])
    assert vide.pk not in consultees
    assert partie.pk not in consultees


@pytest.mark.parametrize("format", ["pdf", "CSV", "json"])
def test_an_unknown_format_is_a_404_and_records_nothing(client, partenaire_a, cohorte_a, format):
    InscriptionFactory(cohorte=cohorte_a)

    assert telecharger(client, partenaire_a, format).status_code == 404
    assert not Consultation.objects.exists()


def test_staff_get_403_and_anonymous_users_the_login_page(client, db):
    assert client.get(url()).url.startswith(reverse("login"))
    client.force_login(UserFactory())
    assert client.get(url()).status_code == 403


def test_the_trainees_are_ordered_by_school_cohort_then_name(client, ecole_a, ecole_b):
    organisme = EntrepriseFactory(organisme_formation=True)
    ecole_a.organismes_formation.add(organisme)
    ecole_b.organismes_formation.add(organisme)
    for ecole, noms in ((ecole_b, ["Bravo", "Alpha"]), (ecole_a, ["Delta", "Charlie"])):
        cohorte = CohorteFactory(parcours__ecole=ecole)
        for nom in noms:
            InscriptionFactory(cohorte=cohorte, candidat__nom=nom)
    ecole_a.ville, ecole_b.ville = "Arras", "Béthune"
    ecole_a.save(update_fields=["ville"])
    ecole_b.save(update_fields=["ville"])

    rows = as_dicts(
        lignes_csv(telecharger(client, PartenaireFactory(appartenance__entreprise=organisme)))
    )

    assert [row["Nom"] for row in rows] == ["Charlie", "Delta", "Alpha", "Bravo"]


@pytest.mark.parametrize("format", ["csv", "xlsx"])
@pytest.mark.parametrize("rows", [1, 50])
def test_the_file_reads_the_same_queries_for_1_or_50_trainees(
    client, partenaire_a, ecole_a, rows, format
):
    for _ in range(rows):
        cohorte = CohorteFactory(parcours__ecole=ecole_a, date_debut=EN_STAGE)
        StageFactory(inscription__cohorte=cohorte)
    client.force_login(partenaire_a)

    with CaptureQueriesContext(connection) as context:
        response = client.get(url(format))
        contenu = b"".join(response.streaming_content)

    requetes = [
        query["sql"]
        for query in context.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    # The session, the user; the cohorts with trainees in training, their phases; the
    # consultations recorded; the session's expiry; the trainees, read with the file.
    assert len(requetes) == 7, requetes
    lues = lignes_xlsx_bytes(contenu) if format == "xlsx" else lignes_csv_bytes(contenu)
    assert len(list(lues)) == rows + 1


def lignes_csv_bytes(contenu):
    return csv.reader(io.StringIO(contenu.decode("utf-8-sig"), newline=""), delimiter=";")
