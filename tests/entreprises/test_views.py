"""Staff pages about organisations and the partner accounts of their members."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from comptes.models import Appartenance, User
from entreprises.models import Entreprise
from tests.factories import (
    AppartenanceFactory,
    CohorteFactory,
    ContactFactory,
    EcoleFactory,
    EntrepriseFactory,
    PartenaireFactory,
    UserFactory,
)

NOUVEAU_MOT_DE_PASSE = "Un-mot-de-passe-bien-long-42"


@pytest.fixture
def entreprise(db):
    return EntrepriseFactory(nom="Ampere Béthune", ville="Ruitz", siret="80000000000017")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Access


@pytest.fixture
def urls(entreprise):
    appartenance = AppartenanceFactory(entreprise=entreprise)
    return [
        reverse("entreprises:liste"),
        reverse("entreprises:detail", args=[entreprise.pk]),
        reverse("entreprises:creer_compte", args=[entreprise.pk]),
        reverse("entreprises:desactiver_appartenance", args=[appartenance.pk]),
    ]


def test_anonymous_user_is_sent_to_the_login_page(client, urls):
    for url in urls:
        response = client.get(url)

        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_partner_gets_403_on_staff_organisation_pages(client, partner_user, urls):
    client.force_login(partner_user)

    for url in urls:
        assert client.get(url).status_code == 403


def test_partner_cannot_deactivate_a_membership(client, partner_user):
    appartenance = partner_user.appartenances.get()
    client.force_login(partner_user)

    response = client.post(reverse("entreprises:desactiver_appartenance", args=[appartenance.pk]))

    assert response.status_code == 403
    appartenance.refresh_from_db()
    assert appartenance.active


def test_unknown_organisation_is_404(client_staff, db):
    assert client_staff.get(reverse("entreprises:detail", args=[999])).status_code == 404


# List


def test_list_searches_by_name_siret_and_city(client_staff, entreprise):
    EntrepriseFactory(nom="Big Ben", ville="Douai")
    url = reverse("entreprises:liste")

    for terms in ["ampere", "8000 0000 000017", "ruitz"]:
        response = client_staff.get(url, {"q": terms})

        assert [e.nom for e in response.context["page_obj"]] == ["Ampere Béthune"], terms


def test_list_filters_by_type(client_staff, entreprise):
    EntrepriseFactory(nom="GRETA du Grand Hainaut", organisme_formation=True)

    response = client_staff.get(
        reverse("entreprises:liste"), {"type": Entreprise.Type.ORGANISME_FORMATION}
    )

    assert [e.nom for e in response.context["page_obj"]] == ["GRETA du Grand Hainaut"]


def test_list_is_paginated_and_counts_active_partner_accounts(client_staff, entreprise):
    EntrepriseFactory.create_batch(30)
    AppartenanceFactory(entreprise=entreprise)
    AppartenanceFactory(entreprise=entreprise).desactiver()

    first = client_staff.get(reverse("entreprises:liste"), {"q": "ampere"})
    page_2 = client_staff.get(reverse("entreprises:liste"), {"page": 2})

    assert first.context["page_obj"][0].comptes_actifs == 1
    assert len(page_2.context["page_obj"]) == 6
    assert "Page 2 sur 2" in page_2.content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_list_query_count(client_staff, count, django_assert_num_queries):
    for organisation in EntrepriseFactory.create_batch(count):
        AppartenanceFactory(entreprise=organisation)

    # 1 savepoint, 2 session, 3 user, 4 count for the paginator,
    # 5 the page of organisations with their active accounts counted,
    # 6 release savepoint, 7-9 session save in its own savepoint.
    with django_assert_num_queries(9):
        response = client_staff.get(reverse("entreprises:liste"))

    assert len(response.context["page_obj"]) == min(count, 25)


# Detail


def test_detail_shows_contacts_schools_and_partner_accounts(client_staff, entreprise):
    ContactFactory(entreprise=entreprise, nom="Durand", telephone="03 21 00 00 00")
    EcoleFactory(nom="École de la conduite de ligne", entreprises_adherentes=[entreprise])
    actif = PartenaireFactory(
        first_name="Claire", last_name="Actif", appartenance__entreprise=entreprise
    )
    ancien = PartenaireFactory(
        first_name="Paul", last_name="Ancien", appartenance__entreprise=entreprise
    )
    ancien.appartenances.get().desactiver()

    response = client_staff.get(reverse("entreprises:detail", args=[entreprise.pk]))

    html = response.content.decode()
    assert "Durand" in html
    assert "03 21 00 00 00" in html
    assert "École de la conduite de ligne" in html
    assert [a.user for a in response.context["appartenances"]] == [actif, ancien]
    assert "Actif</span>" in html
    assert "Désactivé le" in html
    assert (
        reverse("entreprises:desactiver_appartenance", args=[actif.appartenances.get().pk]) in html
    )
    assert (
        reverse("entreprises:desactiver_appartenance", args=[ancien.appartenances.get().pk])
        not in html
    )


@pytest.mark.parametrize("count", [1, 50])
def test_detail_query_count(client_staff, entreprise, count, django_assert_num_queries):
    for _ in range(count):
        ContactFactory(entreprise=entreprise)
        AppartenanceFactory(entreprise=entreprise)
        EcoleFactory(entreprises_adherentes=[entreprise])

    # 1 savepoint, 2 session, 3 user, 4 the organisation, 5 its contacts,
    # 6 schools it is a member of, 7 schools it teaches in,
    # 8 its memberships with their users,
    # 9 release savepoint, 10-12 session save in its own savepoint.
    with django_assert_num_queries(12):
        client_staff.get(reverse("entreprises:detail", args=[entreprise.pk]))


# Partner account creation


def test_account_form_asks_for_no_password(client_staff, entreprise):
    response = client_staff.get(reverse("entreprises:creer_compte", args=[entreprise.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="email"' in html
    assert 'type="password"' not in html


def creer_compte(client, entreprise, email="Claire.Dupont@Ampere.example"):
    return client.post(
        reverse("entreprises:creer_compte", args=[entreprise.pk]),
        {"prenom": "Claire", "nom": "Dupont", "email": email},
    )


def test_created_partner_chooses_a_password_through_the_emailed_link_then_logs_in(
    client, staff_user, entreprise, django_capture_on_commit_callbacks
):
    CohorteFactory(
        parcours__ecole=EcoleFactory(entreprises_adherentes=[entreprise]), nom="Promotion Ruitz"
    )
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = creer_compte(client, entreprise)

    assert response.status_code == 302
    assert response.url == reverse("entreprises:detail", args=[entreprise.pk])
    assert messages_of(response) == [
        "Le compte de Claire Dupont est créé. Le courriel qui lui permet de choisir son mot de "
        "passe part dans quelques instants."
    ]
    user = User.objects.get(username="claire.dupont@ampere.example")
    assert user.role == User.Role.PARTENAIRE
    assert not user.has_usable_password()
    assert user.appartenances.get(entreprise=entreprise).active
    [email] = mail.outbox
    assert email.to == ["claire.dupont@ampere.example"]
    assert user.password not in email.body
    assert "mot de passe :" not in email.body.lower()
    [link] = re.findall(r"http://testserver(/reset/\S+/)", email.body)

    client.logout()
    form_url = client.get(link).url
    form = client.get(form_url)
    assert form.status_code == 200
    assert form.context["validlink"]
    done = client.post(
        form_url,
        {"new_password1": NOUVEAU_MOT_DE_PASSE, "new_password2": NOUVEAU_MOT_DE_PASSE},
    )
    assert done.status_code == 302

    login = client.post(
        reverse("login"),
        {"username": "claire.dupont@ampere.example", "password": NOUVEAU_MOT_DE_PASSE},
    )
    assert login.status_code == 302
    ecoles = client.get(reverse("partenaires:ecoles"))
    assert "Promotion Ruitz" in ecoles.content.decode()
    # The link served once.
    assert not client.get(link, follow=True).context["validlink"]


def test_double_submit_creates_one_account_and_sends_one_email(
    client_staff, entreprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        creer_compte(client_staff, entreprise)
        second = creer_compte(client_staff, entreprise)

    assert User.objects.filter(role=User.Role.PARTENAIRE).count() == 1
    assert Appartenance.objects.count() == 1
    assert len(mail.outbox) == 1
    assert messages_of(second)[-1] == (
        "Claire Dupont a déjà un accès actif à Ampere Béthune : rien n'a changé."
    )


def test_existing_partner_is_given_the_membership(
    client_staff, entreprise, django_capture_on_commit_callbacks
):
    existant = PartenaireFactory(email="claire.dupont@ampere.example")

    with django_capture_on_commit_callbacks(execute=True):
        response = creer_compte(client_staff, entreprise)

    assert existant.appartenances.filter(entreprise=entreprise, active=True).exists()
    assert existant.appartenances.count() == 2
    assert "accède désormais à Ampere Béthune" in messages_of(response)[0]


def test_staff_email_is_refused_with_a_form_error(client_staff, entreprise):
    UserFactory(email="claire.dupont@ampere.example")

    response = creer_compte(client_staff, entreprise)

    assert response.status_code == 200
    assert "compte de l&#x27;équipe" in response.content.decode()
    assert not Appartenance.objects.exists()
    assert mail.outbox == []


def test_invalid_email_is_refused(client_staff, entreprise):
    response = creer_compte(client_staff, entreprise, email="pas-une-adresse")

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not User.objects.filter(role=User.Role.PARTENAIRE).exists()


# Deactivation


def test_deactivation_asks_for_confirmation_first(client_staff, partner_user):
    appartenance = partner_user.appartenances.get()

    response = client_staff.get(
        reverse("entreprises:desactiver_appartenance", args=[appartenance.pk])
    )

    assert response.status_code == 200
    assert "Désactiver l'accès</button>" in response.content.decode()
    appartenance.refresh_from_db()
    assert appartenance.active


def test_deactivation_keeps_the_membership_inactive(client_staff, partner_user):
    appartenance = partner_user.appartenances.get()

    response = client_staff.post(
        reverse("entreprises:desactiver_appartenance", args=[appartenance.pk])
    )

    assert response.url == reverse("entreprises:detail", args=[appartenance.entreprise_id])
    appartenance.refresh_from_db()
    assert not appartenance.active
    assert appartenance.desactivee_le is not None
    assert messages_of(response) == [
        f"L'accès de {partner_user} à {appartenance.entreprise.nom} est désactivé."
    ]


def test_deactivating_twice_changes_nothing(client_staff, partner_user):
    appartenance = partner_user.appartenances.get()
    url = reverse("entreprises:desactiver_appartenance", args=[appartenance.pk])
    client_staff.post(url)
    appartenance.refresh_from_db()
    desactivee_le = appartenance.desactivee_le

    response = client_staff.post(url)

    appartenance.refresh_from_db()
    assert appartenance.desactivee_le == desactivee_le
    assert "était déjà désactivé" in messages_of(response)[-1]


def test_staff_resends_a_fresh_invitation_to_a_partner_without_password(client_staff, entreprise):
    partner = UserFactory(partenaire=True, email="lea@ampere.example")
    partner.set_unusable_password()
    partner.save()
    appartenance = AppartenanceFactory(user=partner, entreprise=entreprise)
    url = reverse("entreprises:renvoyer_invitation", args=[appartenance.pk])

    refused = client_staff.get(url)
    response = client_staff.post(url)

    assert refused.status_code == 405
    assert response.status_code == 302
    assert messages_of(response) == [
        "Un nouveau courriel d'accès part dans quelques instants pour lea@ampere.example."
    ]
    [email] = mail.outbox
    assert email.to == ["lea@ampere.example"]
    assert re.findall(r"http://testserver/reset/\S+/", email.body)


def test_no_invitation_is_resent_for_a_deactivated_membership(client_staff, entreprise):
    appartenance = AppartenanceFactory(entreprise=entreprise)
    appartenance.desactiver()

    response = client_staff.post(reverse("entreprises:renvoyer_invitation", args=[appartenance.pk]))

    assert response.status_code == 404
    assert mail.outbox == []


def test_partner_cannot_resend_invitations(client, partner_user):
    appartenance = partner_user.appartenances.get()
    client.force_login(partner_user)

    response = client.post(reverse("entreprises:renvoyer_invitation", args=[appartenance.pk]))

    assert response.status_code == 403
    assert mail.outbox == []
