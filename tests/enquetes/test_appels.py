"""The staff's call list: who to phone, the answer given on the phone, the unreachable."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from enquetes.models import Enquete, SituationApresSortie
from parcours.models import Categorie, Sortie

from .helpers import sortie_du_jour, sortie_tardive

pytestmark = pytest.mark.django_db

A_APPELER = reverse("enquetes:a_appeler")


def appel_url(enquete):
    return reverse("enquetes:appel", args=[enquete.pk])


def sans_courriel(**champs):
    """The 6-month survey of a late exit of a person without an e-mail address: due, on
    the call list at once."""
    sortie = sortie_tardive(candidat__email="", **champs)
    return sortie.enquetes.get(vague_mois=6)


def test_the_list_shows_the_phone_the_cohort_the_wave_and_the_due_date(client_staff):
    enquete = sans_courriel(candidat__nom="Vasseur", candidat__telephone="06 12 34 56 78")
    sortie_du_jour()

    response = client_staff.get(A_APPELER)

    assert response.context["page_obj"].paginator.count == 1
    assert "Vasseur" in response.text
    assert 'href="tel:06 12 34 56 78"' in response.text
    assert enquete.sortie.inscription.cohorte.nom in response.text
    assert "à 6 mois" in response.text
    assert "28/02/2026" in response.text
    assert "Pas d'adresse de courriel" in response.text


def test_a_phone_answer_closes_the_survey_without_touching_the_exit(client_staff, staff_user):
    enquete = sans_courriel()
    avant = Sortie.objects.values().get()

    response = client_staff.post(
        appel_url(enquete),
        {
            "situation": "cdd",
            "date_debut_contrat": "2026-01-05",
            "date_fin_contrat": "2026-09-30",
            "satisfaction": "",
            "commentaire": "Joint au téléphone.",
        },
        follow=True,
    )

    assert "Réponse enregistrée : l&#x27;enquête à 6 mois" in response.text
    assert response.context["page_obj"].paginator.count == 0
    situation = SituationApresSortie.objects.get()
    assert situation.source == SituationApresSortie.Source.TELEPHONE
    assert situation.saisie_par == staff_user
    assert situation.categorie == Categorie.EMPLOI_DURABLE
    assert situation.satisfaction is None
    assert Sortie.objects.values().get() == avant
    assert mail.outbox == []


def test_the_phone_form_refuses_what_the_exit_refuses(client_staff):
    enquete = sans_courriel()

    response = client_staff.post(
        appel_url(enquete),
        {
            "situation": "cdd_long",
            "date_debut_contrat": "2026-01-05",
            "date_fin_contrat": "2026-03-31",
        },
    )

    assert response.status_code == 200
    assert "Un CDD long dure au moins 6 mois" in response.text
    assert not SituationApresSortie.objects.exists()


def test_an_unreachable_person_leaves_the_list(client_staff, staff_user):
    enquete = sans_courriel()

    response = client_staff.post(reverse("enquetes:injoignable", args=[enquete.pk]), follow=True)

    assert "injoignable pour l&#x27;enquête à 6 mois" in response.text
    assert response.context["page_obj"].paginator.count == 0
    enquete.refresh_from_db()
    assert enquete.injoignable_par == staff_user
    assert not SituationApresSortie.objects.exists()


def test_a_closed_survey_cannot_be_answered_on_the_phone(client_staff):
    enquete = sans_courriel()
    client_staff.post(reverse("enquetes:injoignable", args=[enquete.pk]))

    assert client_staff.get(appel_url(enquete)).status_code == 404
    assert client_staff.post(appel_url(enquete), {"situation": "cdi"}).status_code == 404


def test_a_survey_not_due_yet_cannot_be_answered_on_the_phone(client_staff):
    a_venir = sortie_du_jour(candidat__email="").enquetes.get(vague_mois=6)

    assert client_staff.get(appel_url(a_venir)).status_code == 404


def test_the_list_is_paginated(client_staff):
    for _ in range(26):
        sans_courriel()

    premiere = client_staff.get(A_APPELER)
    seconde = client_staff.get(A_APPELER, {"page": 2})

    assert len(premiere.context["page_obj"]) == 25
    assert len(seconde.context["page_obj"]) == 1
    assert Enquete.objects.a_appeler(timezone.localdate()).count() == 26
