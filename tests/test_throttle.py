"""The password-reset form sends a few e-mails an hour per address and per client, and
answers with the same page whatever happens."""

import io
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.urls import reverse

from comptes import reinitialisation
from messagerie.models import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def demander(client, email, adresse="203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=adresse)


def test_twenty_requests_for_one_address_send_three_emails(client):
    UserFactory(email="camille@example.org")

    reponses = [demander(client, "camille@example.org", f"203.0.113.{n}") for n in range(20)]

    assert len(mail.outbox) == 3
    assert {r.status_code for r in reponses} == {302}
    assert {r.url for r in reponses} == {reverse("password_reset_done")}


def test_the_address_counts_whatever_its_case(client):
    UserFactory(email="camille@example.org")

    for email in ["camille@example.org", "Camille@Example.org", "CAMILLE@EXAMPLE.ORG"] * 2:
        demander(client, email)

    assert len(mail.outbox) == 3


def test_one_client_asks_for_ten_links_an_hour(client):
    for n in range(12):
        UserFactory(email=f"personne{n}@example.org")

    reponses = [demander(client, f"personne{n}@example.org") for n in range(12)]

    assert len(mail.outbox) == 10
    assert {r.url for r in reponses} == {reverse("password_reset_done")}


def test_a_throttled_request_leaves_another_address_or_client_alone(client, settings):
    settings.PORTAIL_REINITIALISATION_PAR_ADRESSE = 1
    UserFactory(email="camille@example.org")
    UserFactory(email="dominique@example.org")
    demander(client, "camille@example.org", "203.0.113.7")

    demander(client, "camille@example.org", "203.0.113.8")
    demander(client, "dominique@example.org", "203.0.113.7")

    assert [message.to for message in mail.outbox] == [
        ["camille@example.org"],
        ["dominique@example.org"],
    ]


def test_a_refused_request_does_not_push_back_the_next_link(client, settings, monkeypatch):
    settings.PORTAIL_REINITIALISATION_PAR_ADRESSE = 1
    UserFactory(email="camille@example.org")
    horloge = {"maintenant": 1_000_000.0}
    monkeypatch.setattr(reinitialisation, "time", lambda: horloge["maintenant"])

    demander(client, "camille@example.org")
    horloge["maintenant"] += 30 * 60
    demander(client, "camille@example.org")
    horloge["maintenant"] += 31 * 60
    demander(client, "camille@example.org")

    # The first and the last, an hour and a minute later; not the one in between.
    assert len(mail.outbox) == 2


def test_the_answer_is_the_same_for_an_unknown_or_a_throttled_address(client, settings):
    settings.PORTAIL_REINITIALISATION_PAR_ADRESSE = 1
    UserFactory(email="camille@example.org")

    envoye = demander(client, "camille@example.org")
    limite = demander(client, "camille@example.org")
    inconnue = demander(client, "personne@example.org")

    assert envoye.url == limite.url == inconnue.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1


class ServeurEnPanne(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_with_the_mail_server_down_the_usual_page_is_shown_and_the_link_sent_later(
    client, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.ServeurEnPanne"
    UserFactory(email="camille@example.org")

    response = demander(client, "camille@example.org")

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert "Vérifiez votre messagerie" in client.get(response.url).text
    [message] = Message.objects.all()
    assert message.etat == Message.Etat.ECHEC
    assert message.destinataire == "camille@example.org"
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("relancer_messages", stdout=io.StringIO())

    message.refresh_from_db()
    assert message.etat == Message.Etat.ENVOYE
    [email] = mail.outbox
    assert email.to == ["camille@example.org"]
    [lien] = re.findall(r"http://testserver(/reset/\S+/)", email.body)
    assert client.get(client.get(lien).url).context["validlink"]
