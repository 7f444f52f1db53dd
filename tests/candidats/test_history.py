import json

import pytest
from django.urls import reverse
from django.utils import timezone

from candidats.models import Candidat
from parcours.models import Situation, Sortie
from parcours.services import enregistrer_sortie
from tests.factories import (
    CandidatFactory,
    InscriptionFactory,
    SortieFactory,
    SuiviFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def edit_form(candidat, **changes):
    data = {
        "nom": candidat.nom,
        "prenom": candidat.prenom,
        "email": candidat.email,
        "canal": candidat.canal,
        "statut": candidat.statut,
        "confirmer_doublon": "on",
    }
    return data | changes


def test_a_staff_edit_is_recorded_with_its_author_and_shown_on_the_page(client):
    camille = UserFactory(first_name="Camille", last_name="Suivi")
    candidat = CandidatFactory(nom="Lefèvre", commune="Lens")
    client.force_login(camille)

    response = client.post(
        reverse("candidats:modifier", args=[candidat.pk]), edit_form(candidat, nom="Lefebvre")
    )

    assert response.status_code == 302
    latest = candidat.history.latest()
    assert latest.history_user == camille
    assert latest.nom == "Lefebvre"
    page = client.get(reverse("candidats:detail", args=[candidat.pk])).text
    historique = page.split('id="historique"')[1]
    assert "Camille Suivi" in historique
    assert "Modification — Fiche candidat" in historique
    assert "<del>Lefèvre</del> → <ins>Lefebvre</ins>" in historique


def test_history_lists_check_ins_and_exits_of_the_person(client_staff):
    sortie = SortieFactory()
    SuiviFactory(inscription=sortie.inscription)

    page = client_staff.get(reverse("candidats:detail", args=[sortie.inscription.candidat_id]))

    historique = page.text.split('id="historique"')[1]
    assert "Création — Sortie" in historique
    assert "Création — Suivi de" in historique
    assert "Création — Inscription" in historique


def test_staff_downloads_everything_held_about_the_person(client_staff):
    sortie = SortieFactory(inscription__candidat__notes="Permis B", employeur="Ampere")
    SuiviFactory(inscription=sortie.inscription, commentaire="Très assidu")
    candidat = sortie.inscription.candidat

    response = client_staff.get(reverse("candidats:donnees", args=[candidat.pk]))

    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["candidat"]["Nom"] == candidat.nom
    assert data["candidat"]["Notes de l'équipe"] == "Permis B"
    assert data["inscriptions"][0]["Sortie"]["Employeur"] == "Ampere"
    assert data["inscriptions"][0]["Sortie"]["Catégorie"] == "Emploi durable"
    assert data["inscriptions"][0]["Suivis mensuels"][0]["Commentaire"] == "Très assidu"
    assert data["historique"]


def test_partner_cannot_download_a_person_data(client, partner_user):
    candidat = CandidatFactory()
    client.force_login(partner_user)

    response = client.get(reverse("candidats:donnees", args=[candidat.pk]))

    assert response.status_code == 403
    assert Candidat.objects.count() == 1


def test_history_shows_choices_by_their_label(client_staff):
    inscription = InscriptionFactory()
    enregistrer_sortie(
        inscription=inscription,
        date_sortie=timezone.localdate(),
        motif=Sortie.Motif.ABANDON,
        situation=Situation.RECHERCHE_EMPLOI,
    )

    page = client_staff.get(reverse("candidats:detail", args=[inscription.candidat_id]))

    historique = page.text.split('id="historique"')[1]
    assert "Statut : <del>En formation</del> → <ins>Sortie</ins>" in historique
