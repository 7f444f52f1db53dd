"""Anonymising a person blanks their answers' comments and forgets their links and e-mails;
the categories stay for the aggregates."""

import pytest
from django.utils import timezone

from candidats.models import Candidat
from candidats.retention import anonymiser
from enquetes.models import Enquete, JetonEnquete, SituationApresSortie
from enquetes.services import envoyer_enquetes
from messagerie.models import Message
from parcours.dates import add_months
from parcours.models import Categorie

from .helpers import enquete_envoyee, sortie_du_jour

pytestmark = pytest.mark.django_db


def test_anonymising_removes_comments_tokens_and_messages_and_keeps_categories(client):
    enquete, chemin = enquete_envoyee()
    client.post(
        chemin,
        {
            "situation": "cdi",
            "date_debut_contrat": "2026-01-05",
            "commentaire": "Je suis chez Ampere.",
        },
    )
    autre, autre_chemin = enquete_envoyee()
    candidat = enquete.sortie.inscription.candidat

    anonymiser(candidats=Candidat.objects.filter(pk=candidat.pk))

    situation = SituationApresSortie.objects.get()
    assert situation.commentaire == ""
    assert situation.categorie == Categorie.EMPLOI_DURABLE
    assert not JetonEnquete.objects.filter(enquete__sortie=enquete.sortie).exists()
    assert not Message.objects.filter(cle__startswith=f"enquete-{enquete.pk}-").exists()
    assert client.get(chemin).status_code == 404
    # Another person keeps their survey, its link and its e-mail.
    assert Message.objects.filter(cle=autre.cle_du_message("envoi")).exists()
    assert client.get(autre_chemin).status_code == 200


def test_an_anonymised_person_is_neither_surveyed_nor_called(horloge):
    sortie = sortie_du_jour(candidat__email="")
    reste = sortie_du_jour(candidat__email="")
    anonymiser(candidats=Candidat.objects.filter(pk=sortie.inscription.candidat_id))

    horloge.aller_au(add_months(timezone.localdate(), 6))
    resume = envoyer_enquetes()

    assert resume == {"envoi": 0, "relance-1": 0, "relance-2": 0, "a_appeler": 1}
    assert list(Enquete.objects.a_appeler(timezone.localdate())) == [
        reste.enquetes.get(vague_mois=6)
    ]
