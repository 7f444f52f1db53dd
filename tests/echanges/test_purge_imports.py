"""Pending import files (names, e-mails, birth dates) do not outlive their use."""

import os
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from echanges import depot
from tests.echanges.fichiers import csv_bytes, lignes, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HEURE = 60 * 60


def purger():
    stdout = StringIO()
    call_command("purger_imports", stdout=stdout)
    return stdout.getvalue()


def deposes_il_y_a(*heures):
    """Files put in the depot, then aged: putting one in purges the old ones."""
    paths = [depot.dossier() / depot.deposer(b"Nom;Prenom\r\nLefebvre;Amelie\r\n") for _ in heures]
    for path, age in zip(paths, heures, strict=True):
        il_y_a = time.time() - age * HEURE
        os.utime(path, (il_y_a, il_y_a))
    return paths


def apercu(client):
    """Upload a valid list: its file waits for confirmation."""
    response = client.post(
        reverse("echanges:import_candidats"), {"fichier": upload(csv_bytes(lignes(2)))}
    )
    return depot.dossier() / response.context["jeton"]


def test_purge_deletes_only_files_waiting_longer_than_a_day():
    ancien, recent = deposes_il_y_a(25, 23)

    output = purger()

    assert "1 fichier(s) d'import en attente depuis plus de 24 heures supprimé(s)." in output
    assert not ancien.exists()
    assert recent.exists()


def test_purge_follows_the_setting(settings):
    settings.PORTAIL_IMPORTS_DUREE_HEURES = 2
    ancien, recent = deposes_il_y_a(3, 1)

    output = purger()

    assert "1 fichier(s) d'import en attente depuis plus de 2 heures supprimé(s)." in output
    assert not ancien.exists()
    assert recent.exists()


def test_purge_twice_deletes_nothing_the_second_time():
    deposes_il_y_a(30)
    purger()

    assert "0 fichier(s)" in purger()


def test_a_new_upload_also_deletes_the_files_waiting_too_long(client_staff):
    (ancien,) = deposes_il_y_a(25)

    nouveau = apercu(client_staff)

    assert not ancien.exists()
    assert nouveau.exists()


def test_logging_out_deletes_the_file_waiting_in_the_session_only(client_staff):
    collegue = Client()
    collegue.force_login(UserFactory())
    le_sien = apercu(collegue)
    le_mien = apercu(client_staff)

    response = client_staff.post(reverse("logout"))

    assert response.status_code == 302
    assert not le_mien.exists()
    assert le_sien.exists()


def test_logging_out_without_a_pending_import_is_a_plain_logout(client_staff):
    response = client_staff.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client_staff.session
