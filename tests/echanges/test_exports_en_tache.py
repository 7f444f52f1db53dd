"""Full exports as tasks: asked once, followed on their page, offered whole to their
requester only, until they expire."""

import datetime
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from echanges import exports, services, tasks
from echanges.models import DemandeExport
from messagerie.models import Message
from tests.factories import CandidatFactory, UserFactory

from .test_exports import as_dicts, exporter, read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_d_attente(settings):
    """A backend that keeps the jobs queued, as a worker not yet free would."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def demander(client, format="csv", criteres=""):
    url = reverse("echanges:export_candidats", args=[format])
    return client.post(f"{url}?{criteres}" if criteres else url)


def page(client, demande):
    """The export's page as its reader sees the text."""
    reponse = client.get(reverse("echanges:export_demande", args=[demande.pk]))
    return unescape(reponse.content.decode())


def test_the_list_s_button_asks_for_the_file_with_the_list_s_criteria(client_staff):
    liste = client_staff.get(reverse("candidats:liste"), {"q": "lemaitre"}).content.decode()
    action = reverse("echanges:export_candidats", args=["csv"]) + "?q=lemaitre"

    assert f'<form method="post" action="{action}"' in liste


def test_a_get_shows_the_button_and_asks_for_nothing(client_staff):
    url = reverse("echanges:export_candidats", args=["xlsx"])

    html = client_staff.get(url, {"statut": "retenu"}).content.decode()

    assert "Préparer le fichier" in html
    assert f'action="{url}?statut=retenu"' in html
    assert not DemandeExport.objects.exists()


def test_a_double_click_while_waiting_asks_for_one_export(client_staff, file_d_attente):
    premiere = demander(client_staff, criteres="statut=retenu")
    seconde = demander(client_staff, criteres="statut=retenu")

    (demande,) = DemandeExport.objects.all()
    assert premiere.url == seconde.url == reverse("echanges:export_demande", args=[demande.pk])
    assert demande.criteres == "statut=retenu"
    # Other criteria are another export.
    demander(client_staff, criteres="statut=non_retenu")
    assert DemandeExport.objects.count() == 2


def test_the_waiting_page_refreshes_itself_and_shows_the_progress(client_staff, file_d_attente):
    demander(client_staff)
    demande = DemandeExport.objects.get()

    html = page(client_staff, demande)
    assert "Export en attente" in html
    assert '<meta http-equiv="refresh" content="2">' in html

    DemandeExport.objects.update(
        etat=DemandeExport.Etat.EN_COURS, lignes_ecrites=1200, lignes_attendues=5000
    )
    html = page(client_staff, demande)
    assert "Export en cours" in html
    assert "1\xa0200 lignes écrites sur 5\xa0000" in html
    assert '<progress id="progression" value="1200" max="5000">' in html


def test_a_finished_export_offers_the_whole_file_and_says_until_when(client_staff):
    CandidatFactory.create_batch(3)
    demande_url = demander(client_staff).url
    demande = DemandeExport.objects.get()

    html = client_staff.get(demande_url).content.decode()

    assert "Le fichier est prêt" in html and "3 lignes" in html
    assert "refresh" not in html
    assert f"{timezone.localtime(demande.expire_le):%H:%M}" in html
    lien = reverse("echanges:export_fichier", args=[demande.pk])
    assert f'href="{lien}"' in html
    fichier = client_staff.get(lien)
    assert len(read_csv(fichier)) == 4
    assert {"no-store", "private"} <= {
        directive.strip() for directive in fichier["Cache-Control"].split(",")
    }


def test_the_requester_is_told_by_e_mail_with_the_page_s_link(client_staff, staff_user):
    demander(client_staff)
    demande = DemandeExport.objects.get()

    message = Message.objects.get(cle=f"export-pret-{demande.pk}")
    assert message.destinataire == staff_user.email
    assert message.sujet == "Votre export est prêt"
    assert reverse("echanges:export_demande", args=[demande.pk]) in message.texte


def test_someone_else_s_export_is_unknown_and_its_file_too(client_staff):
    demander(client_staff)
    demande = DemandeExport.objects.get()
    client = Client()
    client.force_login(UserFactory())

    assert client.get(reverse("echanges:export_demande", args=[demande.pk])).status_code == 404
    assert client.get(reverse("echanges:export_fichier", args=[demande.pk])).status_code == 404


def test_my_exports_lists_mine_only(client_staff):
    assert "Aucun export pour l'instant" in client_staff.get(reverse("echanges:exports")).text
    demander(client_staff)
    demander(client_staff, format="xlsx")
    client = Client()
    client.force_login(UserFactory())
    demander(client)

    html = client_staff.get(reverse("echanges:exports")).content.decode()

    assert html.count("/fichier/") == 2
    assert "Candidats (CSV)" in html and "Candidats (Excel)" in html


def test_an_expired_export_is_no_longer_offered(client_staff):
    demander(client_staff)
    demande = DemandeExport.objects.get()
    DemandeExport.objects.update(expire_le=timezone.now() - datetime.timedelta(minutes=1))

    html = page(client_staff, demande)
    reponse = client_staff.get(reverse("echanges:export_fichier", args=[demande.pk]), follow=True)

    assert "Ce fichier a expiré" in html
    assert "/fichier/" not in html
    assert "Ce fichier n'est plus disponible" in unescape(reponse.content.decode())


def test_the_purge_deletes_the_expired_exports_and_their_files(client_staff, capsys):
    demander(client_staff)
    demander(client_staff, format="xlsx")
    expiree, gardee = DemandeExport.objects.order_by("format")
    DemandeExport.objects.filter(pk=expiree.pk).update(
        expire_le=timezone.now() - datetime.timedelta(minutes=1)
    )
    stockage = services.stockage_des_exports()

    call_command("purger_imports")

    assert list(DemandeExport.objects.all()) == [gardee]
    assert not stockage.exists(expiree.fichier)
    assert stockage.exists(gardee.fichier)
    assert "1 export(s) expiré(s) supprimé(s)" in capsys.readouterr().out


def test_a_file_cut_short_is_never_offered(client_staff, monkeypatch):
    CandidatFactory.create_batch(3)
    # The stored file reads back one row short: a write cut off midway.
    lire = exports.lignes_du_fichier
    monkeypatch.setattr(exports, "lignes_du_fichier", lambda *args: lire(*args) - 1)
    stockage = services.stockage_des_exports()

    demander(client_staff)

    demande = DemandeExport.objects.get()
    html = page(client_staff, demande)
    assert demande.etat == DemandeExport.Etat.ECHEC
    assert demande.fichier == ""
    assert stockage.listdir(str(demande.pk)) == ([], [])
    assert "Export impossible" in html
    assert "2 ligne(s) dans le fichier pour 3 attendue(s)" in html
    assert "/fichier/" not in html


def test_an_unexpected_error_shows_a_failure_and_no_file(client_staff, monkeypatch):
    def en_panne(*args):
        raise RuntimeError("disque plein")

    monkeypatch.setitem(exports.ECRIVAINS, "csv", en_panne)

    demander(client_staff)

    demande = DemandeExport.objects.get()
    assert demande.etat == DemandeExport.Etat.ECHEC
    assert "aucun fichier n'est proposé" in page(client_staff, demande)


def test_a_job_run_twice_writes_the_file_once(client_staff, file_d_attente):
    demander(client_staff)
    demande = DemandeExport.objects.get()

    tasks.executer_export(demande.pk)
    premiere = DemandeExport.objects.get()
    tasks.executer_export(demande.pk)

    assert DemandeExport.objects.get().fichier == premiere.fichier
    assert Message.objects.filter(cle=f"export-pret-{demande.pk}").count() == 1


def test_the_task_checks_the_criteria_again(client_staff, file_d_attente):
    url = reverse("echanges:export_sorties", args=["csv"])
    client_staff.post(url)
    DemandeExport.objects.update(criteres="debut=demain")

    tasks.executer_export(DemandeExport.objects.get().pk)

    demande = DemandeExport.objects.get()
    assert demande.etat == DemandeExport.Etat.ECHEC
    assert "Début de la période" in demande.erreur


def test_the_exits_report_keeps_the_indicators_page_s_criteria(client_staff):
    rows = read_csv(exporter(client_staff, reverse("echanges:export_sorties", args=["csv"])))

    assert as_dicts(rows) == []
    (demande,) = DemandeExport.objects.all()
    assert re.fullmatch(r"sorties-\d{4}-\d{2}-\d{2}\.csv", demande.nom_du_fichier)
