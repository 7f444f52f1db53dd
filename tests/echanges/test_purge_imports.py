"""Pending import files and analyses (names, e-mails, birth dates) do not outlive their use."""

import datetime
import os
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from echanges import depot
from echanges.models import AnalyseImport, FichierEnAttente
from tests.echanges.fichiers import csv_bytes, fichiers_du_stockage, lignes, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CONTENU = b"Nom;Prenom\r\nLefebvre;Amelie\r\n"


def purger():
    stdout = StringIO()
    call_command("purger_imports", stdout=stdout)
    return stdout.getvalue()


def il_y_a(heures):
    return timezone.now() - datetime.timedelta(hours=heures)


def deposes_il_y_a(*heures):
    """Files put in the depot, then aged: putting one in purges the old ones."""
    user = UserFactory()
    jetons = [depot.deposer(CONTENU, user=user) for _ in heures]
    for jeton, age in zip(jetons, heures, strict=True):
        FichierEnAttente.objects.filter(empreinte_du_jeton=depot.empreinte(jeton)).update(
            cree_le=il_y_a(age)
        )
    return jetons


def en_attente(jeton):
    """The file of `jeton` is still kept, row and bytes."""
    fichier = FichierEnAttente.objects.filter(empreinte_du_jeton=depot.empreinte(jeton)).first()
    return fichier is not None and depot.stockage().exists(fichier.nom)


def analyses_il_y_a(*heures):
    user = UserFactory()
    analyses = [AnalyseImport.objects.create(user=user, nom_du_fichier="l.csv") for _ in heures]
    for analyse, age in zip(analyses, heures, strict=True):
        AnalyseImport.objects.filter(pk=analyse.pk).update(cree_le=il_y_a(age))
    return analyses


def apercu(client):
    """Upload a valid list: its file waits for confirmation."""
    response = client.post(
        reverse("echanges:import_candidats"), {"fichier": upload(csv_bytes(lignes(2)))}
    )
    return response.context["jeton"]


def test_purge_deletes_only_files_waiting_longer_than_a_day(stockage_des_imports):
    ancien, recent = deposes_il_y_a(25, 23)

    output = purger()

    assert "1 fichier(s) d'import en attente depuis plus de 24 heures supprimé(s)." in output
    assert not en_attente(ancien)
    assert en_attente(recent)
    assert len(fichiers_du_stockage(stockage_des_imports)) == 1


def test_purge_follows_the_setting(settings):
    settings.PORTAIL_IMPORTS_DUREE_HEURES = 2
    ancien, recent = deposes_il_y_a(3, 1)

    output = purger()

    assert "1 fichier(s) d'import en attente depuis plus de 2 heures supprimé(s)." in output
    assert not en_attente(ancien)
    assert en_attente(recent)


def test_purge_twice_deletes_nothing_the_second_time():
    deposes_il_y_a(30)
    analyses_il_y_a(30)
    purger()

    output = purger()

    assert "0 fichier(s)" in output
    assert "0 analyse(s)" in output


def test_an_expired_file_not_yet_purged_cannot_be_confirmed_or_read():
    user = UserFactory()
    jeton = depot.deposer(CONTENU, user=user)
    FichierEnAttente.objects.update(cree_le=il_y_a(25))

    assert depot.lire(jeton) is None
    assert depot.retirer(jeton, user=user) is None


def test_purge_deletes_the_old_files_no_row_names(stockage_des_imports, monkeypatch):
    # A deposit whose transaction was rolled back leaves its bytes only.
    stockage_des_imports.save("en-attente/orphelin", ContentFile(CONTENU))
    stockage_des_imports.save("en-attente/orphelin-recent", ContentFile(CONTENU))
    garde = depot.deposer(CONTENU, user=UserFactory())
    nom_garde = FichierEnAttente.objects.get().nom
    # The stored file of a row still waiting is as old as the orphan: the row keeps it.
    anciens = {"en-attente/orphelin", nom_garde}
    modifie_le = stockage_des_imports.get_modified_time
    monkeypatch.setattr(
        stockage_des_imports,
        "get_modified_time",
        lambda nom: il_y_a(30) if nom in anciens else modifie_le(nom),
    )

    output = purger()

    assert "1 fichier(s)" in output
    assert sorted(fichiers_du_stockage(stockage_des_imports)) == sorted(
        ["orphelin-recent", nom_garde.removeprefix("en-attente/")]
    )
    assert en_attente(garde)


def test_purge_works_on_files_on_disk(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "imports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    ancien, recent = deposes_il_y_a(25, 1)
    orphelin = tmp_path / "en-attente" / "orphelin"
    orphelin.write_bytes(CONTENU)
    os.utime(orphelin, (time.time() - 30 * 3600,) * 2)

    output = purger()

    assert "2 fichier(s)" in output
    assert not en_attente(ancien)
    assert en_attente(recent)
    assert len(list((tmp_path / "en-attente").iterdir())) == 1
    assert depot.lire(recent) == CONTENU


def test_purge_deletes_the_analyses_older_than_the_setting(settings):
    settings.PORTAIL_IMPORTS_DUREE_HEURES = 2
    ancienne, recente = analyses_il_y_a(3, 1)

    output = purger()

    assert "1 analyse(s) d'import de plus de 2 heures supprimée(s)." in output
    assert list(AnalyseImport.objects.all()) == [recente]
    assert not AnalyseImport.objects.filter(pk=ancienne.pk).exists()


def test_a_new_upload_also_deletes_the_files_waiting_too_long(client_staff):
    (ancien,) = deposes_il_y_a(25)

    nouveau = apercu(client_staff)

    assert not en_attente(ancien)
    assert en_attente(nouveau)


def test_logging_out_deletes_the_file_waiting_in_the_session_only(client_staff):
    collegue = Client()
    collegue.force_login(UserFactory())
    le_sien = apercu(collegue)
    le_mien = apercu(client_staff)

    response = client_staff.post(reverse("logout"))

    assert response.status_code == 302
    assert not en_attente(le_mien)
    assert en_attente(le_sien)


def test_logging_out_deletes_the_analysis_of_the_session_and_the_old_ones(
    client_staff, staff_user, settings
):
    settings.PORTAIL_IMPORT_OCTETS_EN_TACHE = 100
    collegue = Client()
    collegue.force_login(UserFactory())
    celle_du_collegue = apercu(collegue)
    apercu(client_staff)
    (ancienne,) = analyses_il_y_a(25)
    assert AnalyseImport.objects.filter(user=staff_user).count() == 1

    client_staff.post(reverse("logout"))

    assert list(AnalyseImport.objects.values_list("jeton", flat=True)) == [celle_du_collegue]
    assert en_attente(celle_du_collegue)


def test_logging_out_without_a_pending_import_is_a_plain_logout(client_staff):
    response = client_staff.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client_staff.session
