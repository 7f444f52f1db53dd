"""A large import is analysed by a task; its page follows the progress, then previews."""

import html
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from candidats.models import Candidat
from echanges import depot, imports, tasks
from echanges.models import AnalyseImport
from tests.echanges.fichiers import csv_bytes, ligne, lignes, upload
from tests.factories import UserFactory

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
