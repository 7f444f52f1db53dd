"""The outbox and the survey links are kept a while, then purged: a digest names trainees,
a message or a link may still open something."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from enquetes.models import JetonEnquete
from messagerie.models import Message
from tests.enquetes.helpers import enquete_envoyee

pytestmark = pytest.mark.django_db


def purger_messages():
    out = StringIO()
    call_command("purger_messages", stdout=out)
    return out.getvalue()


def vieilli(message, jours):
    Message.objects.filter(pk=message.pk).update(
        cree_le=timezone.now() - datetime.timedelta(days=jours)
    )


def message(cle, texte="Suivis en retard : Lina Vasseur"):
    return Message.objects.create(
        cle=cle, destinataire="camille@example.org", sujet="Votre semaine", texte=texte
    )


def test_messages_older_than_the_setting_are_deleted_whatever_their_state(settings):
    settings.PORTAIL_RETENTION_MESSAGES_JOURS = 90
    ancien, echoue, recent = message("digest-1"), message("digest-2"), message("digest-3")
    Message.objects.filter(pk=echoue.pk).update(etat=Message.Etat.ECHEC)
    vieilli(ancien, 91)
    vieilli(echoue, 91)
    vieilli(recent, 89)

    sortie = purger_messages()

    assert sortie == "2 message(s) et 0 lien(s) d'enquête de plus de 90 jours supprimé(s).\n"
    assert list(Message.objects.values_list("cle", flat=True)) == ["digest-3"]


def test_a_survey_link_long_expired_is_deleted_and_then_tells_nothing(client, settings):
    settings.PORTAIL_RETENTION_MESSAGES_JOURS = 90
    settings.PORTAIL_ENQUETES_VALIDITE_JOURS = 60
    enquete, chemin = enquete_envoyee()
    _, chemin_recent = enquete_envoyee()
    jeton = JetonEnquete.objects.get(enquete=enquete)
    # Expired 91 days ago: the purge deletes it. The other one expired yesterday only.
    maintenant = timezone.now()
    JetonEnquete.objects.filter(pk=jeton.pk).update(
        cree_le=maintenant - datetime.timedelta(days=151),
        expire_le=maintenant - datetime.timedelta(days=91),
    )
    JetonEnquete.objects.exclude(pk=jeton.pk).update(
        cree_le=maintenant - datetime.timedelta(days=61),
        expire_le=maintenant - datetime.timedelta(days=1),
    )

    assert client.get(chemin).status_code == 410
    sortie = purger_messages()

    assert "1 lien(s) d'enquête" in sortie
    assert not JetonEnquete.objects.filter(pk=jeton.pk).exists()
    assert client.get(chemin).status_code == 404
    assert client.get(chemin_recent).status_code == 410


def test_the_purge_runs_two_deletes_whatever_the_number_of_rows(django_assert_num_queries):
    for numero in range(50):
        vieilli(message(f"digest-{numero}"), 400)

    with django_assert_num_queries(2):
        call_command("purger_messages", stdout=StringIO())

    assert not Message.objects.exists()
