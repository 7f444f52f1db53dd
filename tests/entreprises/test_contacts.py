"""Staff add and edit the contacts of an organisation (a host company's tutors among them),
through `entreprises.services` like the admin."""

import pytest
from django.urls import reverse

from entreprises.models import Contact
from tests.factories import ContactFactory, EntrepriseFactory

pytestmark = pytest.mark.django_db

DONNEES = {
    "prenom": "Karim",
    "nom": "Benali",
    "fonction": "Chef d'équipe",
    "email": "karim.benali@example.org",
    "telephone": "03 21 00 00 00",
}


def ajouter(entreprise):
    return reverse("entreprises:contact_ajouter", args=[entreprise.pk])


def test_staff_add_a_contact_shown_on_the_organisation_page(client_staff):
    entreprise = EntrepriseFactory(nom="Ampere")
    detail = client_staff.get(reverse("entreprises:detail", args=[entreprise.pk])).text
    assert ajouter(entreprise) in detail

    response = client_staff.post(ajouter(entreprise), DONNEES, follow=True)

    contact = Contact.objects.get()
    assert contact.entreprise == entreprise
    assert "Le contact Karim Benali est enregistré." in response.text
    assert "karim.benali@example.org" in response.text
    assert reverse("entreprises:contact_modifier", args=[contact.pk]) in response.text


def test_a_double_submit_creates_one_contact(client_staff):
    entreprise = EntrepriseFactory(nom="Ampere")
    client_staff.post(ajouter(entreprise), DONNEES)

    response = client_staff.post(ajouter(entreprise), DONNEES)

    assert Contact.objects.count() == 1
    assert "Karim Benali est déjà un contact d&#x27;Ampere." in response.text
    assert 'value="karim.benali@example.org"' in response.text


def test_an_invalid_email_is_told_and_what_was_typed_is_kept(client_staff):
    entreprise = EntrepriseFactory()

    response = client_staff.post(ajouter(entreprise), DONNEES | {"email": "pas-un-email"})

    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in response.text
    assert 'value="Benali"' in response.text
    assert not Contact.objects.exists()


def test_staff_edit_a_contact(client_staff):
    contact = ContactFactory(nom="Benali", prenom="Karim", fonction="Technicien")

    response = client_staff.post(
        reverse("entreprises:contact_modifier", args=[contact.pk]),
        DONNEES | {"fonction": "Responsable maintenance"},
    )

    contact.refresh_from_db()
    assert response.status_code == 302
    assert contact.fonction == "Responsable maintenance"


def test_partners_are_refused_and_unknown_contacts_are_404(client, partner_user, client_staff):
    contact = ContactFactory()

    assert client_staff.get(reverse("entreprises:contact_modifier", args=[0])).status_code == 404
    client.force_login(partner_user)
    assert client.get(ajouter(contact.entreprise)).status_code == 403
    response = client.post(reverse("entreprises:contact_modifier", args=[contact.pk]), DONNEES)
    assert response.status_code == 403
    assert Contact.objects.get().email == contact.email


def test_the_admin_refuses_a_duplicate_contact(client, admin_user):
    contact = ContactFactory(nom="Benali", prenom="Karim")
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:entreprises_contact_add"),
        {"entreprise": contact.entreprise_id, "prenom": "Karim", "nom": "Benali"},
    )

    assert response.status_code == 200
    assert "Cette organisation a déjà un contact de ce nom et de ce prénom." in response.text
    assert Contact.objects.count() == 1


@pytest.mark.parametrize("rows", [1, 50])
def test_contact_form_queries_do_not_grow_with_the_contacts(
    client_staff, django_assert_num_queries, rows
):
    entreprise = EntrepriseFactory()
    ContactFactory.create_batch(rows, entreprise=entreprise)
    contact = entreprise.contacts.first()

    # The request's savepoint, the session, the user; the contact with its organisation;
    # release; the session's rolling expiry (savepoint, update, release).
    with django_assert_num_queries(8):
        response = client_staff.get(reverse("entreprises:contact_modifier", args=[contact.pk]))

    assert f'value="{contact.nom}"' in response.text
