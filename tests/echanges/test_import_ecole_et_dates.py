"""The import reads the school aimed at, tells a day that does not exist from a badly
written date, and calls an e-mail address "courriel" everywhere."""

import csv
import html
import io

import pytest
from django.urls import reverse

from candidats.models import Candidat
from echanges.models import AnalyseImport
from tests.echanges.fichiers import ENTETE, csv_bytes, ligne, lignes, upload
from tests.factories import EcoleFactory

pytestmark = pytest.mark.django_db
URL = reverse("echanges:import_candidats")
ENTETE_ECOLE = [*ENTETE, "École visée"]


@pytest.fixture
def ecoles():
    return {
        "bethune": EcoleFactory(
            nom="École de la Maintenance et conduite de ligne", ville="Béthune"
        ),
        "cambrai": EcoleFactory(nom="École de la Maintenance", ville="Cambrai"),
        "lille": EcoleFactory(nom="École de la Maintenance", ville="Lille"),
        "douai": EcoleFactory(nom="École de la Logistique", ville="Douai"),
    }


def deposer(client, contenu, **donnees):
    return client.post(URL, {"fichier": upload(contenu), **donnees})


def confirmer(client, apercu):
    assert "Confirmer l'import" in apercu.text, apercu.context["analyse"].erreurs
    return client.post(reverse("echanges:import_confirmer", args=[apercu.context["jeton"]]))


def ecole_de(nom):
    return Candidat.objects.select_related("ecole_visee").get(nom=nom).ecole_visee


def test_the_school_is_found_by_name_and_city_or_by_city_whatever_the_case(client_staff, ecoles):
    rows = [
        ligne(1, **{"École visée": "BETHUNE"}),
        ligne(2, **{"École visée": "école de la maintenance — cambrai"}),
        ligne(3, **{"École visée": "Ecole de la logistique"}),
    ]

    confirmer(client_staff, deposer(client_staff, csv_bytes(rows, entete=ENTETE_ECOLE)))

    assert ecole_de("Lefebvre1") == ecoles["bethune"]
    assert ecole_de("Lefebvre2") == ecoles["cambrai"]
    assert ecole_de("Lefebvre3") == ecoles["douai"]


def test_an_unknown_school_is_an_error_of_its_row_and_nothing_is_saved(client_staff, ecoles):
    rows = [ligne(1, **{"École visée": "Douai"}), ligne(2, **{"École visée": "Valenciennes"})]

    response = deposer(client_staff, csv_bytes(rows, entete=ENTETE_ECOLE))

    text = html.unescape(response.text)
    assert "Import impossible : 1 ligne en erreur." in text
    [erreur] = response.context["analyse"].erreurs
    assert (erreur.numero, erreur.colonne) == (3, "école visée")
    assert "École inconnue « Valenciennes »" in erreur.message
    assert "Béthune, Cambrai, Douai, Lille" in erreur.message
    assert "Confirmer l'import" not in response.text
    assert not Candidat.objects.exists()


def test_a_name_shared_by_several_schools_asks_for_the_city(client_staff, ecoles):
    rows = [ligne(1, **{"École visée": "École de la Maintenance"})]

    response = deposer(client_staff, csv_bytes(rows, entete=ENTETE_ECOLE))

    [erreur] = response.context["analyse"].erreurs
    assert "Plusieurs écoles correspondent à « École de la Maintenance »" in erreur.message
    assert "ajoutez la ville" in erreur.message
    assert not Candidat.objects.exists()


def test_a_closed_school_is_not_offered_nor_read(client_staff, ecoles):
    ecoles["douai"].active = False
    ecoles["douai"].save()

    formulaire = client_staff.get(URL)
    response = deposer(
        client_staff, csv_bytes([ligne(1, **{"École visée": "Douai"})], entete=ENTETE_ECOLE)
    )

    assert "École de la Logistique" not in formulaire.text
    assert "École inconnue « Douai »" in html.unescape(response.text)


def test_the_default_school_goes_to_the_rows_without_one(client_staff, ecoles):
    rows = [ligne(1, **{"École visée": "Lille"}), ligne(2, **{"École visée": ""})]

    apercu = deposer(client_staff, csv_bytes(rows, entete=ENTETE_ECOLE), ecole=ecoles["douai"].pk)
    confirmer(client_staff, apercu)

    assert "seront rattachées à l'école par défaut : <strong>École de la Logistique — Douai" in (
        html.unescape(apercu.text)
    )
    assert ecole_de("Lefebvre1") == ecoles["lille"]
    assert ecole_de("Lefebvre2") == ecoles["douai"]


def test_the_default_school_without_the_column(client_staff, ecoles):
    confirmer(client_staff, deposer(client_staff, csv_bytes(lignes(2)), ecole=ecoles["lille"].pk))

    assert set(Candidat.objects.values_list("ecole_visee", flat=True)) == {ecoles["lille"].pk}


def test_without_default_school_the_rows_without_one_aim_at_none(client_staff, ecoles):
    confirmer(client_staff, deposer(client_staff, csv_bytes(lignes(1))))

    assert Candidat.objects.get().ecole_visee is None


def test_a_default_school_that_does_not_exist_is_a_form_error(client_staff, ecoles):
    response = deposer(client_staff, csv_bytes(lignes(1)), ecole="999999")

    assert "Choisissez une école de la liste." in html.unescape(response.text)
    assert "Déposer le fichier" in response.text


def test_a_large_file_checked_by_the_task_gets_the_default_school_at_confirmation(
    client_staff, ecoles, settings
):
    settings.PORTAIL_IMPORT_OCTETS_EN_TACHE = 100

    apercu = deposer(client_staff, csv_bytes(lignes(2)), ecole=ecoles["cambrai"].pk)
    assert AnalyseImport.objects.exists()
    confirmer(client_staff, apercu)

    assert set(Candidat.objects.values_list("ecole_visee", flat=True)) == {ecoles["cambrai"].pk}


@pytest.mark.parametrize("date", ["31/02/1999", "29/02/2023", "1999-02-30", "31.04.2000"])
def test_a_day_that_does_not_exist_is_called_so(client_staff, date):
    response = deposer(client_staff, csv_bytes([ligne(1, **{"Date de naissance": date})]))

    [erreur] = response.context["analyse"].erreurs
    assert erreur.message == (
        f"Date inexistante « {date} » : ce jour n'existe pas dans le calendrier."
    )
    assert not Candidat.objects.exists()


@pytest.mark.parametrize("date", ["14 mars 1998", "1998/03/14", "14/03/98", "14031998"])
def test_a_badly_written_date_keeps_the_format_hint(client_staff, date):
    response = deposer(client_staff, csv_bytes([ligne(1, **{"Date de naissance": date})]))

    [erreur] = response.context["analyse"].erreurs
    assert f"Date invalide « {date} » : écrivez-la jj/mm/aaaa" in erreur.message


def test_the_pages_say_courriel_and_never_e_mail(client_staff):
    formulaire = client_staff.get(URL)
    apercu = deposer(client_staff, csv_bytes([ligne(1, **{"E-mail": "pas-une-adresse"})]))

    for response in (formulaire, apercu):
        text = html.unescape(response.text).lower()
        assert "courriel" in text
        assert "e-mail" not in text
    [erreur] = apercu.context["analyse"].erreurs
    assert erreur.colonne == "courriel"


def test_the_template_has_the_school_column_and_imports_as_it_is(client_staff, ecoles):
    fichier = client_staff.get(reverse("echanges:modele_import", args=["csv"]))
    contenu = b"".join(fichier.streaming_content)

    entete, exemple = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    assert entete[3] == "Courriel"
    assert entete[-1] == "École visée"
    assert exemple[-1] == "École de la Logistique Douai"
    confirmer(client_staff, deposer(client_staff, contenu))
    assert ecole_de("Martin") == ecoles["douai"]


@pytest.mark.parametrize("rows", [1, 50])
def test_the_school_column_costs_one_query_whatever_the_rows(
    client_staff, django_assert_num_queries, ecoles, rows
):
    fichier = upload(
        csv_bytes(
            [
                ligne(numero, **{"École visée": "Béthune" if numero % 2 else "Douai"})
                for numero in range(1, rows + 1)
            ],
            entete=ENTETE_ECOLE,
        )
    )

    # The request's savepoint, the session, the user; the default school chosen; the
    # active schools; the records sharing an identifier, an e-mail or a birth date with a
    # line; the pending files expired, the row of the file kept; release; the session
    # saved with the file waiting (savepoint, update, release).
    with django_assert_num_queries(12):
        response = client_staff.post(URL, {"fichier": fichier, "ecole": ecoles["lille"].pk})

    assert f"Confirmer l'import de {rows} candidat" in response.text
