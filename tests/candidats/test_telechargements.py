"""Downloading everything held on a person is logged: who, when, whom; the admin only reads it."""

import pytest
from django.urls import reverse

from candidats.models import Candidat, TelechargementDonnees
from candidats.retention import anonymiser
from tests.factories import CandidatFactory, UserFactory

pytestmark = pytest.mark.django_db


def telecharger(client, candidat):
    return client.get(reverse("candidats:donnees", args=[candidat.pk]))


def test_a_download_records_who_downloaded_whom(client_staff, staff_user):
    candidat = CandidatFactory()
    CandidatFactory()

    response = telecharger(client_staff, candidat)

    assert response.status_code == 200
    telechargement = TelechargementDonnees.objects.get()
    assert telechargement.user == staff_user
    assert telechargement.candidat == candidat
    assert telechargement.format == TelechargementDonnees.Format.JSON


def test_a_refused_download_records_nothing(client, partner_user):
    client.force_login(partner_user)

    response = telecharger(client, CandidatFactory())

    assert response.status_code == 403
    assert not TelechargementDonnees.objects.exists()


def test_the_log_keeps_the_download_but_not_the_name_of_an_anonymised_person(client_staff):
    candidat = CandidatFactory(nom="Lemaire", prenom="Louise")
    telecharger(client_staff, candidat)

    anonymiser(candidats=Candidat.objects.filter(pk=candidat.pk))

    telechargement = TelechargementDonnees.objects.get()
    assert telechargement.candidat_id == candidat.pk
    assert "Lemaire" not in str(telechargement)


@pytest.fixture
def telechargement(client_staff):
    telecharger(client_staff, CandidatFactory(nom="Lemaire", prenom="Louise"))
    return TelechargementDonnees.objects.get()


def test_the_admin_lists_downloads(client, admin_user, telechargement):
    client.force_login(admin_user)

    response = client.get(reverse("admin:candidats_telechargementdonnees_changelist"))

    assert response.status_code == 200
    assert "Louise Lemaire" in response.text
    assert str(telechargement.user) in response.text


def test_the_admin_cannot_add_change_or_delete_a_download(client, admin_user, telechargement):
    client.force_login(admin_user)
    change_url = reverse("admin:candidats_telechargementdonnees_change", args=[telechargement.pk])
    autre = UserFactory()

    add = client.get(reverse("admin:candidats_telechargementdonnees_add"))
    view = client.get(change_url)
    change = client.post(change_url, {"user": autre.pk, "format": "json"})
    delete = client.post(
        reverse("admin:candidats_telechargementdonnees_delete", args=[telechargement.pk]),
        {"post": "yes"},
    )

    assert add.status_code == 403
    assert view.status_code == 200
    assert 'name="_save"' not in view.text
    assert change.status_code == 403
    assert delete.status_code == 403
    telechargement.refresh_from_db()
    assert telechargement.user != autre
