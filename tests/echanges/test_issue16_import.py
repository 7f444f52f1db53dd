"""Issue 16: files of 100,000 rows, and a duplicate check whose cost follows the file."""

import datetime
import html
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from candidats.doublons import LOT_DE_RECHERCHE, _fiches_a_comparer, doublons_existants, signes
from candidats.models import Candidat
from echanges import imports, services, tasks
from echanges.models import AnalyseImport
from tests.echanges.fichiers import csv_bytes, ligne, lignes, upload
from tests.factories import CandidatFactory

pytestmark = pytest.mark.django_db
URL = reverse("echanges:import_candidats")


def identite(numero):
    return {
        "nom": f"Lefebvre{numero}",
        "prenom": "Amélie",
        "date_naissance": datetime.date(1950, 1, 1) + datetime.timedelta(days=numero),
        "email": f"amelie.{numero}@example.org",
        "identifiant_france_travail": f"{numero:07d}Z",
    }


def test_the_default_limit_is_100_000_rows():
    with pytest.raises(imports.FichierRefuse) as refus:
        imports.analyser(csv_bytes(lignes(100_001)), candidats=Candidat.objects.all())

    assert refus.value.message == (
        "Le fichier compte plus de 100\u00a0000 lignes : la limite est de 100\u00a0000 par "
        "import. Découpez-le en plusieurs fichiers."
    )


@pytest.fixture
def en_tache(settings):
    settings.PORTAIL_IMPORT_OCTETS_EN_TACHE = 100


def test_a_file_of_3_000_rows_imports_whole_through_the_task(client_staff, en_tache):
    response = client_staff.post(URL, {"fichier": upload(csv_bytes(lignes(3_000)))})

    assert AnalyseImport.objects.get().etat == AnalyseImport.Etat.TERMINEE
    client_staff.post(reverse("echanges:import_confirmer", args=[response.context["jeton"]]))
    assert Candidat.objects.count() == 3_000


def test_a_bad_row_at_the_end_of_a_file_saves_nothing(client_staff, en_tache):
    rows = [*lignes(2_999), ligne(3_000, **{"Date de naissance": "31/02/1998"})]

    response = client_staff.post(URL, {"fichier": upload(csv_bytes(rows))})

    assert "Date inexistante « 31/02/1998 »" in response.text
    assert response.context["jeton"] is None
    assert not Candidat.objects.exists()


@pytest.mark.parametrize("nombre, requetes", [(1, 1), (LOT_DE_RECHERCHE, 1), (5_000, 3)])
def test_the_duplicate_check_costs_one_query_per_lot(django_assert_num_queries, nombre, requetes):
    CandidatFactory.create_batch(3)
    identites = [identite(numero) for numero in range(nombre)]

    with django_assert_num_queries(requetes):
        doublons_existants(identites, Candidat.objects.all())


def test_the_duplicate_check_reads_only_the_records_that_share_a_sign():
    # Born the same day under another name: at a million records, some fifty per day.
    CandidatFactory(date_naissance=datetime.date(1950, 1, 2), email="", nom="Autre")
    meme_nom = CandidatFactory(
        date_naissance=datetime.date(1950, 1, 2), email="", nom="LEFEBVRE-1", prenom="amelie"
    )
    CandidatFactory(date_naissance=datetime.date(1980, 6, 6), email="x@example.org")
    meme_email = CandidatFactory(date_naissance=None, email="AMELIE.5@example.org")
    cherches = {"identifiant_france_travail": set(), "email": set(), "noms": set()}
    for critere, valeur in [s for numero in (1, 5) for s in signes(identite(numero))]:
        cherches[critere].add(valeur)

    lues = {fiche["pk"] for fiche in _fiches_a_comparer(Candidat.objects.all(), cherches)}

    assert lues == {meme_nom.pk, meme_email.pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN de PostgreSQL")
@pytest.mark.parametrize(
    "critere, valeur, index",
    [
        ("identifiant_france_travail", "0000001Z", "candidat_doublon_ft_idx"),
        ("email", "amelie.1@example.org", "candidat_doublon_email_idx"),
        ("noms", "1950-01-02 lefebvre1 amelie", "candidat_doublon_noms_idx"),
    ],
)
def test_postgresql_serves_each_key_of_the_duplicate_check_by_its_index(critere, valeur, index):
    CandidatFactory.create_batch(20)
    cherches = {"identifiant_france_travail": set(), "email": set(), "noms": set()}
    cherches[critere].add(valeur)
    requetes = []

    def noter(execute, sql, params, many, context):
        requetes.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noter):
        list(_fiches_a_comparer(Candidat.objects.all(), cherches))
    ((sql, params),) = requetes
    with connection.cursor() as cursor:
        # A table this small would be read whole: the planner is told not to.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert index in plan


def deposer_en_tache(client, rows):
    return client.post(URL, {"fichier": upload(csv_bytes(rows))}).context["jeton"]


def confirmer(client, jeton):
    return client.post(reverse("echanges:import_confirmer", args=[jeton]))


def test_the_confirmation_is_a_task_whose_page_refreshes_until_the_import_is_done(
    client_staff, en_tache, monkeypatch
):
    jeton = deposer_en_tache(client_staff, lignes(3))
    monkeypatch.setattr(tasks, "confirmer_import", SimpleNamespace(enqueue=lambda *args: None))

    response = confirmer(client_staff, jeton)

    analyse = AnalyseImport.objects.get()
    assert response.url == f"{URL}?analyse={analyse.pk}"
    attente = client_staff.get(response.url)
    assert "Import en attente" in attente.text
    assert 'http-equiv="refresh"' in attente.text
    assert not Candidat.objects.exists()

    tasks.confirmer(analyse.pk)

    termine = client_staff.get(response.url)
    assert termine.url == reverse("echanges:import_termine")
    assert Candidat.objects.count() == 3
    assert "3 candidats importés depuis" in client_staff.get(termine.url).text


def test_the_confirmation_run_twice_imports_once(client_staff, en_tache, monkeypatch):
    jeton = deposer_en_tache(client_staff, lignes(2))
    monkeypatch.setattr(tasks, "confirmer_import", SimpleNamespace(enqueue=lambda *args: None))
    confirmer(client_staff, jeton)
    analyse = AnalyseImport.objects.get()

    tasks.confirmer(analyse.pk)
    tasks.confirmer(analyse.pk)

    assert Candidat.objects.count() == 2


def test_a_failure_during_the_confirmation_saves_nothing_and_is_shown(
    client_staff, en_tache, monkeypatch
):
    jeton = deposer_en_tache(client_staff, lignes(3))
    monkeypatch.setattr(tasks, "confirmer_import", SimpleNamespace(enqueue=lambda *args: None))
    confirmer(client_staff, jeton)
    analyse = AnalyseImport.objects.get()

    def panne(*args, **kwargs):
        # The candidates are inserted, then the history fails: both go.
        Candidat.objects.create(nom="Partiel", prenom="Import")
        raise RuntimeError("disque plein")

    monkeypatch.setattr(services, "bulk_create_with_history", panne)
    with pytest.raises(RuntimeError):
        tasks.confirmer(analyse.pk)

    assert not Candidat.objects.exists()
    page = client_staff.get(f"{URL}?analyse={analyse.pk}")
    assert "Import impossible." in page.text
    assert "L'import a échoué sur une erreur inattendue" in html.unescape(page.text)
    assert "http-equiv" not in page.text


def test_a_file_changed_since_its_analysis_is_refused(client_staff, en_tache):
    jeton = deposer_en_tache(client_staff, lignes(3))
    AnalyseImport.objects.update(empreinte="0" * 64)

    response = confirmer(client_staff, jeton)

    assert response.url == URL
    page = client_staff.get(URL)
    assert "Le fichier a changé depuis son analyse : rien n'a été importé." in html.unescape(
        page.text
    )
    assert not Candidat.objects.exists()
