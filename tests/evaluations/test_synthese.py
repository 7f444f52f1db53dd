"""The weekly digest: one e-mail per staff member and per week, through the outbox."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from a_faire import synthese, tasks
from messagerie.models import Message
from tests.factories import PartenaireFactory, UserFactory

from .conftest import LUNDI

pytestmark = pytest.mark.django_db
SITE = "https://portail.example.org"


def envoyer_syntheses():
    out = StringIO()
    call_command("envoyer_syntheses", "--site-url", f"{SITE}/", stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def equipe_du_groupement(db):
    return {
        "camille": UserFactory(first_name="Camille", email="camille.roussel@example.org"),
        "admin": UserFactory(administrateur=True, email="admin@example.org"),
    }


def test_each_staff_member_gets_one_email_with_the_counts(semaine_chargee, equipe_du_groupement):
    camille = equipe_du_groupement["camille"]

    resume = envoyer_syntheses()

    assert resume == "2 synthèse(s) mise(s) en file, 0 déjà envoyée(s) cette semaine."
    assert sorted(email.to[0] for email in mail.outbox) == [
        "admin@example.org",
        "camille.roussel@example.org",
    ]
    [email] = [email for email in mail.outbox if email.to == [camille.email]]
    assert email.subject == "Portail Plan Marshall — à faire cette semaine : 6 actions en attente"
    body = email.body
    assert body.startswith("Bonjour Camille,")
    assert "semaine du 16/06/2025" in body
    assert "Suivis en retard : 3" in body
    assert "Sorties à enregistrer : 1" in body
    assert "Stages sans entreprise d'accueil : 1" in body
    assert "Évaluations de stage sans réponse : 1" in body
    sortie = reverse("parcours:sortie", kwargs={"pk": semaine_chargee["marc"].pk})
    assert "- Marc Petit (Béthune 2023 — terminée le " in body
    assert f"Enregistrer la sortie : {SITE}{sortie}" in body
    assert f"Voir toutes les sorties à enregistrer : {SITE}{reverse('a_faire:sorties')}" in body
    assert f"{SITE}/a-faire/#synthese" in body
    assert Message.objects.get(destinataire=camille.email).cle == f"digest-{camille.pk}-2025-W25"


def test_run_twice_in_a_week_it_sends_once(semaine_chargee, equipe_du_groupement):
    envoyer_syntheses()

    resume = envoyer_syntheses()

    assert resume == "0 synthèse(s) mise(s) en file, 2 déjà envoyée(s) cette semaine."
    assert len(mail.outbox) == 2
    assert Message.objects.count() == 2


def test_the_next_week_brings_a_new_digest(today_is, equipe_du_groupement):
    today_is(LUNDI)
    envoyer_syntheses()
    today_is(LUNDI + datetime.timedelta(days=7))

    resume = envoyer_syntheses()

    assert resume.startswith("2 synthèse(s) mise(s) en file")
    assert len(mail.outbox) == 4


def test_an_empty_week_still_says_so(today_is, equipe_du_groupement):
    today_is(LUNDI)

    envoyer_syntheses()

    assert (
        mail.outbox[0].subject == "Portail Plan Marshall — à faire cette semaine : rien en attente"
    )
    assert "Suivis en retard : 0" in mail.outbox[0].body


def test_switched_off_inactive_and_partner_accounts_get_none(today_is, db):
    today_is(LUNDI)
    UserFactory(recoit_synthese=False)
    UserFactory(is_active=False)
    UserFactory(email="")
    PartenaireFactory()

    assert envoyer_syntheses().startswith("0 synthèse(s)")
    assert mail.outbox == []


def test_the_recipients_are_the_staff_of_user_is_equipe():
    """`destinataires` is the SQL twin of `User.is_equipe` (with the digest on)."""
    users = [
        UserFactory(),
        UserFactory(administrateur=True),
        UserFactory(partenaire=True, is_superuser=True),
        UserFactory(is_active=False),
        PartenaireFactory(),
        UserFactory(partenaire=True, is_active=False),
    ]

    assert list(synthese.destinataires()) == [user for user in users if user.is_equipe]


def test_the_task_queues_the_digests(today_is, equipe_du_groupement):
    today_is(LUNDI)

    resultat = tasks.envoyer_syntheses.enqueue(SITE)

    assert resultat.return_value == {"envoyees": 2, "deja_envoyees": 0}
    assert len(mail.outbox) == 2
