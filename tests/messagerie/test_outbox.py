"""The outbox: a message is a row before it is sent, sent once, retried, and tracked."""

import datetime

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from messagerie import services
from messagerie.models import Message

pytestmark = pytest.mark.django_db


def en_file(cle="bienvenue-1", destinataire="lina.vasseur@example.org"):
    return services.mettre_en_file(
        cle=cle, destinataire=destinataire, sujet="Bienvenue", texte="Bonjour Lina."
    )


class ServeurEnPanne:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Le serveur SMTP ne répond pas")


def test_a_message_asked_twice_is_written_and_sent_once():
    en_file()
    en_file()

    assert Message.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lina.vasseur@example.org"]
    assert mail.outbox[0].subject == "Bienvenue"
    assert Message.objects.get().etat == Message.Etat.ENVOYE


def test_a_job_run_again_on_a_sent_message_sends_nothing():
    message = en_file()

    assert services.envoyer(message.pk) == Message.Etat.ENVOYE
    assert len(mail.outbox) == 1


def test_a_failed_send_is_recorded_then_sent_by_the_relaunch(settings):
    settings.EMAIL_BACKEND = "tests.messagerie.test_outbox.ServeurEnPanne"
    message = en_file()
    message.refresh_from_db()
    assert message.etat == Message.Etat.ECHEC
    assert "ne répond pas" in message.derniere_erreur

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("relancer_messages")

    message.refresh_from_db()
    assert message.etat == Message.Etat.ENVOYE
    assert message.tentatives == 2
    assert len(mail.outbox) == 1


def test_attempts_stop_at_the_limit(settings):
    settings.EMAIL_BACKEND = "tests.messagerie.test_outbox.ServeurEnPanne"
    settings.PORTAIL_MESSAGES_TENTATIVES_MAX = 2
    message = en_file()
    services.relancer()
    services.relancer()

    message.refresh_from_db()
    assert message.tentatives == 2
    assert message.etat == Message.Etat.ECHEC


def test_a_send_interrupted_by_a_crash_is_sent_again_after_the_delay_only(settings):
    settings.PORTAIL_MESSAGES_DELAI_REPRISE_MINUTES = 15
    recent = Message.objects.create(
        cle="recent",
        destinataire="a@example.org",
        sujet="A",
        texte="A",
        etat=Message.Etat.EN_COURS,
        tentatives=1,
        tente_le=timezone.now(),
    )
    ancien = Message.objects.create(
        cle="ancien",
        destinataire="b@example.org",
        sujet="B",
        texte="B",
        etat=Message.Etat.EN_COURS,
        tentatives=1,
        tente_le=timezone.now() - datetime.timedelta(minutes=20),
    )

    services.relancer()

    assert [m.to for m in mail.outbox] == [["b@example.org"]]
    ancien.refresh_from_db()
    recent.refresh_from_db()
    assert ancien.etat == Message.Etat.ENVOYE
    assert recent.etat == Message.Etat.EN_COURS


def test_a_bounce_reported_by_the_provider_marks_the_message():
    message = en_file()
    Message.objects.filter(pk=message.pk).update(identifiant_fournisseur="esp-123")

    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(event_type="bounced", message_id="esp-123"),
        esp_name="Brevo",
    )

    message.refresh_from_db()
    assert message.etat == Message.Etat.REJETE
    assert message.derniere_erreur == "Brevo : bounced"


# The worker commits and closes its connections as in production: a real transaction.
@pytest.mark.django_db(transaction=True)
def test_a_message_is_sent_by_a_real_worker_through_the_database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    message = en_file()
    assert len(mail.outbox) == 0
    assert DBTaskResult.objects.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    message.refresh_from_db()
    assert message.etat == Message.Etat.ENVOYE
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
