"""A large import is analysed by a task; its page follows the progress, then previews."""

import datetime
import html
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidats.models import Candidat
from echanges import depot, imports, tasks
from echanges.models import AnalyseImport
from tests.echanges.fichiers import csv_bytes, ligne, lignes, upload
from tests.factories import CandidatFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("echanges:import_candidats")


@pytest.fixture
def seuil_bas(settings):
    """Every file of the test is "large"."""
    settings.PORTAIL_IMPORT_OCTETS_EN_TACHE = 100


@pytest.fixture
def sans_worker(monkeypatch):
    """The job is queued and left waiting, as with a database backend before a worker."""
    monkeypatch.setattr(tasks, "analyser_import", SimpleNamespace(enqueue=lambda *args: None))


def deposer(client, contenu):
    return client.post(URL, {"fichier": upload(contenu)})


def page(client, analyse):
    return client.get(URL, {"analyse": str(analyse.pk)})


def test_a_small_file_is_still_analysed_in_the_request(client_staff):
    response = deposer(client_staff, csv_bytes(lignes(2)))

    assert "Confirmer l'import de 2 candidats" in response.text
    assert not AnalyseImport.objects.exists()


def test_a_large_file_goes_through_the_task_and_imports(client_staff, staff_user, seuil_bas):
    response = deposer(client_staff, csv_bytes(lignes(3)))

    # The immediate backend of the tests ran the job already: the preview comes at once.
    assert response.status_code == 200
    assert "Confirmer l'import de 3 candidats" in response.text
    analyse = AnalyseImport.objects.get()
    assert analyse.user == staff_user
    assert analyse.etat == AnalyseImport.Etat.TERMINEE
    assert analyse.lignes_lues == 3
    assert Candidat.objects.count() == 0

    apercu = page(client_staff, analyse)
    assert "Confirmer l'import de 3 candidats" in apercu.text
    assert "http-equiv" not in apercu.text
    client_staff.post(reverse("echanges:import_confirmer", args=[apercu.context["jeton"]]))
    assert Candidat.objects.count() == 3


def test_the_page_refreshes_itself_until_the_worker_is_done(client_staff, seuil_bas, sans_worker):
    response = deposer(client_staff, csv_bytes(lignes(3)))

    analyse = AnalyseImport.objects.get()
    assert response.status_code == 302
    assert response.url == f"{URL}?analyse={analyse.pk}"
    en_attente = page(client_staff, analyse)
    assert '<meta http-equiv="refresh" content="2">' in en_attente.text
    assert "Analyse en attente" in en_attente.text

    tasks.analyser(analyse.pk)

    assert "Confirmer l'import de 3 candidats" in page(client_staff, analyse).text


def test_the_job_run_twice_analyses_once(client_staff, seuil_bas, sans_worker, monkeypatch):
    deposer(client_staff, csv_bytes(lignes(2)))
    analyse = AnalyseImport.objects.get()
    tasks.analyser(analyse.pk)
    monkeypatch.setattr(imports, "analyser", lambda *args, **kwargs: pytest.fail("again"))

    tasks.analyser(analyse.pk)

    analyse.refresh_from_db()
    assert analyse.etat == AnalyseImport.Etat.TERMINEE


def test_another_user_gets_404_on_the_analysis(client_staff, seuil_bas):
    deposer(client_staff, csv_bytes(lignes(2)))
    analyse = AnalyseImport.objects.get()
    autre = Client()
    autre.force_login(UserFactory())

    assert page(autre, analyse).status_code == 404
    assert autre.get(URL, {"analyse": "pas-un-uuid"}).status_code == 404
    assert client_staff.get(URL, {"analyse": f"{analyse.pk}\x00"}).status_code == 404


def test_the_time_limit_stops_the_analysis(client_staff, seuil_bas, settings):
    settings.PORTAIL_IMPORT_TACHE_DUREE_MAX_SECONDES = 0

    response = deposer(client_staff, csv_bytes(lignes(3)))

    text = html.unescape(response.text)
    assert "Analyse trop longue" in text
    assert "Confirmer l'import" not in text
    analyse = AnalyseImport.objects.get()
    assert analyse.etat == AnalyseImport.Etat.ECHEC
    assert "Analyse trop longue" in html.unescape(page(client_staff, analyse).text)
    assert depot.lire(analyse.jeton) is None
    assert Candidat.objects.count() == 0


def test_progress_is_recorded_between_rows(client_staff, seuil_bas, sans_worker, monkeypatch):
    deposer(client_staff, csv_bytes(lignes(4)))
    analyse = AnalyseImport.objects.get()
    vues = []
    analyser_ligne = imports._analyser_ligne

    def espion(*args):
        vues.append(AnalyseImport.objects.get().lignes_lues)
        return analyser_ligne(*args)

    monkeypatch.setattr(imports, "_analyser_ligne", espion)
    monkeypatch.setattr(tasks, "PROGRESSION_SECONDES", 0)

    tasks.analyser(analyse.pk)

    assert vues == [0, 1, 2, 3]
    analyse.refresh_from_db()
    assert analyse.lignes_lues == 4


def test_a_large_file_with_errors_is_previewed_without_confirmation(client_staff, seuil_bas):
    response = deposer(client_staff, csv_bytes([ligne(1), ligne(2, Nom="")]))

    text = html.unescape(response.text)
    assert "1 ligne en erreur" in text
    assert "Le nom est obligatoire." in text
    assert "Confirmer l'import" not in text
    assert depot.lire(AnalyseImport.objects.get().jeton) is None


def test_a_large_unreadable_file_is_refused_by_the_task(client_staff, seuil_bas):
    response = deposer(client_staff, b"%PDF-1.4" + b"x" * 200)

    assert "pas un tableau" in html.unescape(response.text)
    assert AnalyseImport.objects.get().etat == AnalyseImport.Etat.ECHEC


# Confirming a file the task analysed ------------------------------------------------


def confirmer(client, jeton):
    return client.post(reverse("echanges:import_confirmer", args=[jeton]))


def sans_relecture(monkeypatch):
    """Reading or checking the file again fails the test."""

    def relu(*args, **kwargs):
        pytest.fail("the file was read again")

    monkeypatch.setattr(imports, "lire_tableau", relu)
    monkeypatch.setattr(imports, "_analyser_ligne", relu)


def test_confirming_reuses_the_rows_the_task_checked(client_staff, seuil_bas, monkeypatch):
    jeton = deposer(client_staff, csv_bytes(lignes(3))).context["jeton"]
    analyse = AnalyseImport.objects.get()
    assert len(analyse.lignes_verifiees["lignes"]) == 3
    sans_relecture(monkeypatch)

    response = confirmer(client_staff, jeton)

    assert response.status_code == 302
    assert response.url == reverse("echanges:import_termine")
    assert sorted(Candidat.objects.values_list("nom", "date_naissance", "code_postal")) == [
        (f"Lefebvre{numero}", datetime.date(1998, 3, 14), "62400") for numero in (1, 2, 3)
    ]
    analyse.refresh_from_db()
    assert analyse.lignes_verifiees is None


def test_a_record_added_since_the_analysis_blocks_the_confirmation(
    client_staff, seuil_bas, monkeypatch
):
    jeton = deposer(client_staff, csv_bytes(lignes(3))).context["jeton"]
    # A colleague records one of them in between.
    deja_la = CandidatFactory(identifiant_france_travail="0000002Z")
    sans_relecture(monkeypatch)

    response = confirmer(client_staff, jeton)

    assert response.status_code == 200
    text = html.unescape(response.text)
    assert "Import impossible : 1 ligne en erreur." in text
    assert f"Déjà enregistré : {deja_la.prenom} {deja_la.nom} a une fiche" in text
    assert "Confirmer l'import" not in text
    assert list(Candidat.objects.all()) == [deja_la]


@pytest.mark.parametrize(
    "change",
    [
        {"etat": AnalyseImport.Etat.EN_COURS},
        {"lignes_verifiees": None},
        {"cree_le": timezone.now() - datetime.timedelta(hours=25)},
    ],
    ids=["unfinished", "rows-not-kept", "expired"],
)
def test_an_analysis_that_is_not_exactly_this_file_s_is_not_reused(
    client_staff, seuil_bas, monkeypatch, change
):
    jeton = deposer(client_staff, csv_bytes(lignes(3))).context["jeton"]
    AnalyseImport.objects.update(**change)
    lectures = []
    lire_tableau = imports.lire_tableau
    monkeypatch.setattr(
        imports, "lire_tableau", lambda contenu: lectures.append(1) or lire_tableau(contenu)
    )

    confirmer(client_staff, jeton)

    assert lectures == [1]
    assert Candidat.objects.count() == 3


def test_another_user_s_analysis_of_the_same_file_is_not_reused(client_staff, seuil_bas):
    jeton = deposer(client_staff, csv_bytes(lignes(3))).context["jeton"]
    AnalyseImport.objects.update(user=UserFactory())

    confirmer(client_staff, jeton)

    # Checked again in the request, as any file: the import goes on.
    assert Candidat.objects.count() == 3


# Within one batch of inserts: SQLite takes 999 parameters, some 45 candidates, per insert.
@pytest.mark.parametrize("rows", [1, 40])
def test_confirming_an_analysed_file_runs_the_same_queries_for_1_or_40_rows(
    client_staff, seuil_bas, monkeypatch, django_assert_num_queries, rows
):
    jeton = deposer(client_staff, csv_bytes(lignes(rows))).context["jeton"]
    # Analysed after the upload, the file is not read again.
    sans_relecture(monkeypatch)

    # The request's savepoint, the session, the user; the file's row taken and read;
    # the analysis, asked to be confirmed; the task (the tests run it at once): the
    # analysis taken and read, the records sharing a sign with a row, the candidates and
    # their history (savepoint, two inserts, release), the indicators' summary rows of
    # their day (their days read, the rows deleted, the day's candidates and their
    # enrollments read, the rows inserted), their tracks (the candidates' rows deleted,
    # their enrollments read: none yet), the result saved; the analysis read again;
    # release; the session saved (savepoint, update, release). Never the rows parsed again.
    # PostgreSQL also takes the lock of that day (`indicateurs.agregats`).
    with django_assert_num_queries(27 + (connection.vendor == "postgresql")):
        confirmer(client_staff, jeton)

    assert Candidat.objects.count() == rows
