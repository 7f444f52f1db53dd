"""Opening a partner account: a user, a membership, an e-mail to choose the password."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from comptes.models import Appartenance, User
from messagerie.models import Message
from partenaires.services import Issue, ouvrir_compte_partenaire
from tests.factories import AppartenanceFactory, EntrepriseFactory, UserFactory

SITE_URL = "https://portail.example"


def ouvrir(entreprise, email="Claire.Dupont@Ampere.example", **kwargs):
    return ouvrir_compte_partenaire(
        entreprise=entreprise,
        prenom=kwargs.get("prenom", "Claire"),
        nom=kwargs.get("nom", "Dupont"),
        email=email,
        site_url=SITE_URL,
    )


def test_new_person_gets_a_partner_account_without_password_and_an_email(
    entreprise_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        compte = ouvrir(entreprise_a)

    user = User.objects.get()
    assert compte.issue is Issue.COMPTE_CREE
    assert user.username == "claire.dupont@ampere.example"
    assert user.email == "claire.dupont@ampere.example"
    assert (user.first_name, user.last_name) == ("Claire", "Dupont")
    assert user.role == User.Role.PARTENAIRE
    assert not user.has_usable_password()
    assert user.appartenances.get().entreprise == entreprise_a
    assert user.appartenances.get().active
    [email] = mail.outbox
    assert email.to == ["claire.dupont@ampere.example"]
    assert f"{SITE_URL}/reset/" in email.body
    assert "Ampere Béthune" in email.body


def test_the_email_is_written_in_the_outbox_in_the_same_transaction(entreprise_a):
    class Annulation(Exception):
        pass

    with pytest.raises(Annulation), transaction.atomic():
        ouvrir(entreprise_a)
        assert Message.objects.get().destinataire == "claire.dupont@ampere.example"
        raise Annulation

    assert not Message.objects.exists()
    assert not User.objects.filter(email="claire.dupont@ampere.example").exists()


def test_existing_partner_gets_the_new_membership_and_no_second_account(
    entreprise_a, django_capture_on_commit_callbacks
):
    existant = UserFactory(partenaire=True, username="claire", email="claire.dupont@ampere.example")
    autre = EntrepriseFactory()
    AppartenanceFactory(user=existant, entreprise=autre)

    with django_capture_on_commit_callbacks(execute=True):
        compte = ouvrir(entreprise_a)

    assert compte.issue is Issue.APPARTENANCE_AJOUTEE
    assert compte.user == existant
    assert User.objects.count() == 1
    assert set(existant.appartenances.values_list("entreprise", flat=True)) == {
        autre.pk,
        entreprise_a.pk,
    }
    [email] = mail.outbox
    # The account already has a password: the e-mail links to the login page only.
    assert "/reset/" not in email.body
    assert f"{SITE_URL}/login/" in email.body


def test_same_person_twice_changes_nothing_the_second_time(
    entreprise_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ouvrir(entreprise_a)
        compte = ouvrir(entreprise_a, email="claire.dupont@ampere.example")

    assert compte.issue is Issue.DEJA_MEMBRE
    assert User.objects.count() == 1
    assert Appartenance.objects.count() == 1
    assert len(mail.outbox) == 1


def test_deactivated_membership_is_reactivated_not_duplicated(
    entreprise_a, partenaire_a, django_capture_on_commit_callbacks
):
    appartenance = partenaire_a.appartenances.get()
    appartenance.desactiver()

    with django_capture_on_commit_callbacks(execute=True):
        compte = ouvrir(entreprise_a, email=partenaire_a.email)

    appartenance.refresh_from_db()
    assert compte.issue is Issue.APPARTENANCE_REACTIVEE
    assert appartenance.active
    assert appartenance.desactivee_le is None
    assert Appartenance.objects.count() == 1


@pytest.mark.parametrize(
    "user_kwargs", [{}, {"administrateur": True}], ids=["equipe", "administrateur"]
)
def test_staff_email_cannot_become_a_partner_account(entreprise_a, user_kwargs):
    staff = UserFactory(email="claire.dupont@ampere.example", **user_kwargs)

    with pytest.raises(ValidationError, match="compte de l'équipe"):
        ouvrir(entreprise_a)

    assert not staff.appartenances.exists()
    assert mail.outbox == []


def test_deactivated_partner_account_is_not_reopened(entreprise_a):
    UserFactory(partenaire=True, email="claire.dupont@ampere.example", is_active=False)

    with pytest.raises(ValidationError, match="désactivé"):
        ouvrir(entreprise_a)

    assert not Appartenance.objects.exists()
