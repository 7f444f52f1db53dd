"""The daily job: surveys due and reminders go through the outbox, each exactly once."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from enquetes.models import ENVOI, RELANCE_1, RELANCE_2, Enquete
from enquetes.tasks import envoyer_enquetes
from messagerie.models import Message
from parcours.dates import add_months

from .helpers import lien, sortie_du_jour

pytestmark = pytest.mark.django_db

REPONSE = {"situation": "cdi", "date_debut_contrat": "2026-01-05", "satisfaction": "5"}


def cron():
    out = StringIO()
    call_command("envoyer_enquetes", stdout=out)
    return out.getvalue()


def sujets():
    return [courriel.subject for courriel in mail.outbox]


def test_running_the_command_twice_sends_the_6_month_survey_once(client, horloge):
    sortie = sortie_du_jour(candidat__prenom="Lina")
    enquete = sortie.enquetes.get(vague_mois=6)
    horloge.aller_au(add_months(sortie.date_sortie, 6))
    mail.outbox.clear()

    premier = cron()
    second = cron()

    assert premier.startswith("1 enquête(s) envoyée(s), 0 première(s) relance(s)")
    assert second.startswith("0 enquête(s) envoyée(s), 0 première(s) relance(s)")
    [courriel] = mail.outbox
    assert courriel.subject == "Où en êtes-vous 6 mois après votre formation ?"
    assert courriel.to == [sortie.inscription.candidat.email]
    assert courriel.extra_headers["X-Portail-Message"] == f"enquete-{enquete.pk}-envoi"
    assert Message.objects.filter(cle__startswith=f"enquete-{enquete.pk}-").count() == 1
    # The link of the body opens the survey, takes one answer, then only says thank you.
    chemin = lien(enquete)
    assert f"https://testserver{chemin}" in courriel.body
    assert "Bonjour Lina," in client.get(chemin).text
    assert client.post(chemin, REPONSE).status_code == 302
    second_passage = client.get(chemin)
    assert second_passage.status_code == 410
    assert "Merci" in second_passage.text
    assert "Lina" not in second_passage.text


def test_the_task_sends_what_is_due(horloge):
    sortie = sortie_du_jour()
    horloge.aller_au(add_months(sortie.date_sortie, 6))

    resultat = envoyer_enquetes.enqueue()

    assert resultat.return_value == {ENVOI: 1, RELANCE_1: 0, RELANCE_2: 0, "a_appeler": 0}


def test_reminders_leave_7_and_14_days_after_the_first_send(horloge):
    sortie_du_jour()
    mail.outbox.clear()

    horloge.avancer(days=6)
    cron()
    assert sujets() == []
    horloge.avancer(days=1)
    cron()
    cron()
    assert sujets() == ["Rappel : votre formation est terminée, où en êtes-vous ?"]
    horloge.avancer(days=6)
    cron()
    assert len(mail.outbox) == 1
    horloge.avancer(days=1)
    cron()
    horloge.avancer(days=30)
    cron()

    assert len(mail.outbox) == 2
    enquete = Enquete.objects.get(vague_mois=0)
    assert timezone.localdate(enquete.relancee_1_le) - timezone.localdate(enquete.envoyee_le) == (
        datetime.timedelta(days=7)
    )
    assert timezone.localdate(enquete.relancee_2_le) - timezone.localdate(enquete.envoyee_le) == (
        datetime.timedelta(days=14)
    )


def test_each_e_mail_carries_its_own_link_and_the_first_one_still_works(client, horloge):
    enquete = sortie_du_jour().enquetes.get(vague_mois=0)
    horloge.avancer(days=7)
    cron()

    assert lien(enquete, RELANCE_1) != lien(enquete, ENVOI)
    assert client.get(lien(enquete, ENVOI)).status_code == 200
    assert client.get(lien(enquete, RELANCE_1)).status_code == 200


def test_reminders_stop_once_answered(client, horloge):
    enquete = sortie_du_jour().enquetes.get(vague_mois=0)
    horloge.avancer(days=7)
    cron()
    client.post(lien(enquete, RELANCE_1), REPONSE)
    mail.outbox.clear()

    horloge.avancer(days=7)
    sortie = cron()
    horloge.avancer(days=30)
    cron()

    assert sortie.startswith("0 enquête(s) envoyée(s), 0 première(s) relance(s), 0 seconde(s)")
    assert mail.outbox == []
    assert not Enquete.objects.a_appeler(timezone.localdate()).exists()


def test_reminders_stop_once_the_person_opts_out(client, horloge):
    enquete = sortie_du_jour().enquetes.get(vague_mois=0)
    client.post(lien(enquete), {"ne_plus_recevoir": "1"})
    mail.outbox.clear()

    for _ in range(5):
        horloge.avancer(days=7)
        cron()
    horloge.aller_au(add_months(enquete.sortie.date_sortie, 6))
    cron()

    assert mail.outbox == []
    assert not Enquete.objects.a_appeler(timezone.localdate()).exists()


def test_the_unanswered_go_on_the_call_list_a_week_after_the_last_reminder(horloge):
    enquete = sortie_du_jour().enquetes.get(vague_mois=0)
    for _ in range(2):
        horloge.avancer(days=7)
        cron()

    horloge.avancer(days=6)
    la_veille = cron()
    horloge.avancer(days=1)
    le_jour = cron()

    assert la_veille.endswith("; 0 personne(s) à appeler.\n")
    assert le_jour.endswith("; 1 personne(s) à appeler.\n")
    assert list(Enquete.objects.a_appeler(timezone.localdate())) == [enquete]
    assert len(mail.outbox) == 3


def test_the_links_lead_to_the_address_of_the_portal(settings):
    settings.PORTAIL_URL_DU_SITE = "https://portail.example.org/"
    sortie = sortie_du_jour()

    [courriel] = mail.outbox

    assert "https://portail.example.org/enquete/" in courriel.body
    assert sortie.enquetes.get(vague_mois=0).jetons.count() == 1
