"""Who may open the partner pages, and what an outsider gets."""

import pytest
from django.urls import reverse

from tests.factories import CohorteFactory, EcoleFactory, EntrepriseFactory, UserFactory


@pytest.fixture
def urls(cohorte_a):
    return [reverse("partenaires:ecoles"), reverse("partenaires:cohorte", args=[cohorte_a.pk])]


def test_anonymous_user_is_sent_to_the_login_page(client, urls):
    for url in urls:
        response = client.get(url)

        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    "user_kwargs", [{}, {"administrateur": True}], ids=["equipe", "administrateur"]
)
def test_staff_and_administrators_get_403_on_partner_pages(client, urls, user_kwargs):
    client.force_login(UserFactory(**user_kwargs))

    for url in urls:
        response = client.get(url)

        assert response.status_code == 403
        assert "Accès refusé" in response.content.decode()


def test_partner_sees_the_schools_and_cohorts_of_its_organisation_only(
    client, partenaire_a, cohorte_a, cohorte_b
):
    client.force_login(partenaire_a)

    html = client.get(reverse("partenaires:ecoles")).content.decode()

    assert "École de la conduite de ligne" in html
    assert "Promotion Béthune 2025" in html
    assert reverse("partenaires:cohorte", args=[cohorte_a.pk]) in html
    assert "École de la Logistique" not in html
    assert "Promotion Douai 2025" not in html


def test_partner_of_other_school_gets_404_on_the_cohort(client, partenaire_b, cohorte_a):
    client.force_login(partenaire_b)

    response = client.get(reverse("partenaires:cohorte", args=[cohorte_a.pk]))

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert "Promotion Béthune 2025" not in html


def test_partner_of_the_school_opens_the_cohort(client, partenaire_a, cohorte_a):
    client.force_login(partenaire_a)

    response = client.get(reverse("partenaires:cohorte", args=[cohorte_a.pk]))

    assert response.status_code == 200
    assert "Promotion Béthune 2025" in response.content.decode()


def test_partner_of_a_training_organisation_sees_its_schools(client, db):
    greta = EntrepriseFactory(nom="GRETA du Grand Hainaut", organisme_formation=True)
    ecole = EcoleFactory(nom="École de la Maintenance", organismes_formation=[greta])
    cohorte = CohorteFactory(parcours__ecole=ecole, nom="Promotion Maubeuge")
    user = UserFactory(partenaire=True)
    user.appartenances.create(entreprise=greta)
    client.force_login(user)

    html = client.get(reverse("partenaires:ecoles")).content.decode()
    response = client.get(reverse("partenaires:cohorte", args=[cohorte.pk]))

    assert "Promotion Maubeuge" in html
    assert "GRETA du Grand Hainaut (organisme de formation)" in html
    assert "Stages à venir" not in html
    assert response.status_code == 200


def test_deactivated_membership_sees_no_school_and_gets_404(client, partenaire_a, cohorte_a):
    partenaire_a.appartenances.get().desactiver()
    client.force_login(partenaire_a)

    html = client.get(reverse("partenaires:ecoles")).content.decode()
    response = client.get(reverse("partenaires:cohorte", args=[cohorte_a.pk]))

    assert "Aucune école n'est rattachée à votre organisation" in html
    assert "Promotion Béthune 2025" not in html
    assert response.status_code == 404


def test_deactivated_user_is_sent_to_the_login_page(client, partenaire_a, cohorte_a):
    partenaire_a.is_active = False
    partenaire_a.save()
    client.force_login(partenaire_a)

    response = client.get(reverse("partenaires:cohorte", args=[cohorte_a.pk]))

    assert response.status_code == 302


def test_cohort_page_accepts_only_get(client, partenaire_a, cohorte_a):
    client.force_login(partenaire_a)

    response = client.post(reverse("partenaires:cohorte", args=[cohorte_a.pk]))

    assert response.status_code == 405
