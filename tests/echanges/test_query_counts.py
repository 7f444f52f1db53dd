"""Exports and import pages run a fixed number of queries, whatever their rows.

A CSV export is streamed: its rows are read while the response is consumed, after the
request's savepoint is released, so each test consumes the file inside the count. An
XLSX export is written before the response leaves the view: the same queries, inside
the savepoint.
"""

import csv
import datetime
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from echanges.models import DemandeExport
from echanges.views import DERNIER_IMPORT
from tests.echanges.fichiers import csv_bytes, lignes, upload
from tests.factories import (
    CandidatFactory,
    CohorteFactory,
    EcoleFactory,
    InscriptionFactory,
    SortieFactory,
    StageFactory,
)

pytestmark = pytest.mark.django_db

ROWS = pytest.mark.parametrize("rows", [1, 50])
FORMATS = pytest.mark.parametrize("format", ["csv", "xlsx"])


def consume(response):
    """The whole attachment, read as a browser would."""
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def data_rows(format, contenu):
    """The rows of an exported file, header aside."""
    if format == "csv":
        rows = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    else:
        rows = list(load_workbook(io.BytesIO(contenu)).active.iter_rows(values_only=True))
    return rows[1:]


def a_long_ago_cohort(**kwargs):
    """A cohort ended long ago, so that its trainees' exits are in the past."""
    return CohorteFactory(date_debut=timezone.localdate() - datetime.timedelta(weeks=60), **kwargs)


# Exports.


def fichier_de_l_export(client):
    """The file of the export just asked for, from its download link."""
    demande = DemandeExport.objects.latest("cree_le")
    return client.get(reverse("echanges:export_fichier", args=[demande.pk]))


@ROWS
@FORMATS
def test_candidates_export_queries_do_not_grow_with_the_rows(
    client_staff, django_assert_num_queries, rows, format
):
    CandidatFactory.create_batch(rows, ecole_visee=EcoleFactory())

    # A full export is a task, which the tests' backend runs in the request: the
    # request's and the task's queries, counted together (savepoints included), then the
    # file downloaded.
    with django_assert_num_queries(28):
        client_staff.post(reverse("echanges:export_candidats", args=[format]))
    contenu = consume(fichier_de_l_export(client_staff))

    assert len(data_rows(format, contenu)) == rows


@ROWS
@FORMATS
def test_cohort_roster_export_queries_do_not_grow_with_the_trainees(
    client_staff, django_assert_num_queries, rows, format
):
    cohorte = a_long_ago_cohort(places=60)
    for inscription in InscriptionFactory.create_batch(rows, cohorte=cohorte):
        StageFactory(inscription=inscription)
        SortieFactory(inscription=inscription)
    url = reverse("echanges:export_cohorte", args=[cohorte.pk, format])

    # The request's savepoint, the session, the user; the cohort; the host companies of
    # its internships; its trainees with candidate and exit; release; the session's
    # rolling expiry (savepoint, update, release).
    with django_assert_num_queries(10):
        contenu = consume(client_staff.get(url))

    assert len(data_rows(format, contenu)) == rows


@ROWS
@FORMATS
def test_outcomes_report_queries_do_not_grow_with_the_exits(
    client_staff, django_assert_num_queries, rows, format
):
    ecole = EcoleFactory()
    cohorte = a_long_ago_cohort(parcours__ecole=ecole, places=60)
    SortieFactory.create_batch(rows, inscription__cohorte=cohorte)
    criteres = {"ecole": ecole.pk, "filiere": ecole.filiere, "debut": "2000-01-01"}

    url = reverse("echanges:export_sorties", args=[format])
    # As for the candidates, and the school of the criteria, read by the request and by
    # the task.
    with django_assert_num_queries(30):
        client_staff.post(f"{url}?{urlencode(criteres)}")
    contenu = consume(fichier_de_l_export(client_staff))

    assert len(data_rows(format, contenu)) == rows


@ROWS
@FORMATS
def test_import_template_reads_no_candidate(client_staff, django_assert_num_queries, rows, format):
    CandidatFactory.create_batch(rows)
    EcoleFactory.create_batch(rows)

    # The request's savepoint, the session, the user; the school of the example row;
    # release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(8):
        contenu = consume(client_staff.get(reverse("echanges:modele_import", args=[format])))

    assert len(data_rows(format, contenu)) == 1


# Import.


@ROWS
def test_import_form_reads_no_candidate(client_staff, django_assert_num_queries, rows):
    CandidatFactory.create_batch(rows)
    ecoles = EcoleFactory.create_batch(rows)

    # The request's savepoint, the session, the user; the schools offered as default;
    # release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(8):
        response = client_staff.get(reverse("echanges:import_candidats"))

    assert "Déposer le fichier" in response.text
    assert str(ecoles[-1]) in response.text


@ROWS
def test_import_preview_queries_do_not_grow_with_the_lines(
    client_staff, django_assert_num_queries, rows
):
    fichier = upload(csv_bytes(lignes(rows)), "liste.csv")

    # The request's savepoint, the session, the user; the records sharing an identifier,
    # an e-mail or a birth date with a line; the pending files expired, the row of the
    # file kept; release; the session saved with the file waiting for confirmation
    # (savepoint, update, release).
    with django_assert_num_queries(10):
        response = client_staff.post(reverse("echanges:import_candidats"), {"fichier": fichier})

    assert f"Confirmer l'import de {rows} candidat" in response.text


@ROWS
def test_import_preview_queries_do_not_grow_with_the_duplicates(
    client_staff, django_assert_num_queries, rows
):
    deja_la = [
        CandidatFactory(identifiant_france_travail=f"{numero:07d}Z")
        for numero in range(1, rows + 1)
    ]
    fichier = upload(csv_bytes(lignes(rows)), "liste.csv")

    # The request's savepoint, the session, the user; the records sharing an identifier,
    # an e-mail or a birth date with a line; release; the session's rolling expiry
    # (savepoint, update, release).
    with django_assert_num_queries(8):
        response = client_staff.post(reverse("echanges:import_candidats"), {"fichier": fichier})

    assert response.text.count("Voir la fiche</a>") == len(deja_la)


@ROWS
def test_import_result_queries_do_not_grow_with_the_imported_candidates(
    client_staff, django_assert_num_queries, rows
):
    importes = CandidatFactory.create_batch(rows)
    session = client_staff.session
    session[DERNIER_IMPORT] = {
        "fichier": "liste.csv",
        "nombre": rows,
        "ids": [candidat.pk for candidat in importes],
    }
    session.save()

    # The request's savepoint, the session, the user; the imported candidates; release;
    # the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(8):
        response = client_staff.get(reverse("echanges:import_termine"))

    table = response.text.split('id="candidats-importes"')[1]
    assert table.count("<tr>") == rows + 1
