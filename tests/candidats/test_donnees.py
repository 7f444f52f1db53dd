"""A person's data, as handed over on request: readable labels in the JSON file, and a
printable page with the same content."""

import datetime
import html
import json

import pytest
from django.urls import reverse

from candidats.models import CanalSourcing, Candidat, TelechargementDonnees
from tests.factories import CandidatFactory, EcoleFactory, SortieFactory, SuiviFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidat():
    return CandidatFactory(
        nom="Chevalier",
        prenom="Marthe",
        date_naissance=datetime.date(1998, 3, 14),
        canal=CanalSourcing.AUTRE,
        statut=Candidat.Statut.PRESELECTIONNE,
        ecole_visee=EcoleFactory(nom="École de la Logistique", ville="Douai"),
        notes="<script>alert(1)</script>",
    )


def telecharger(client, candidat, **params):
    return client.get(reverse("candidats:donnees", args=[candidat.pk]), params)


def test_the_json_file_names_the_school_the_channel_and_the_status(client_staff, candidat):
    fiche = json.loads(telecharger(client_staff, candidat).content)["candidat"]

    assert fiche["École visée"] == "École de la Logistique — Douai"
    assert fiche["Canal de sourcing"] == "Autre"
    assert fiche["Statut de présélection"] == "Présélectionné"
    assert fiche["Date de naissance"] == "1998-03-14"
    assert "id" not in fiche and "recherche" not in fiche and "jeton_creation" not in fiche
    assert candidat.ecole_visee_id not in fiche.values()


def test_the_json_file_gives_check_ins_and_exit_by_their_labels(client_staff):
    sortie = SortieFactory()
    suivi_enregistre = SuiviFactory(inscription=sortie.inscription)

    donnees = json.loads(telecharger(client_staff, sortie.inscription.candidat).content)

    [inscription] = donnees["inscriptions"]
    assert inscription["Statut"] == sortie.inscription.get_statut_display()
    assert inscription["Sortie"]["Motif"] == sortie.get_motif_display()
    assert inscription["Sortie"]["Situation à la sortie"] == sortie.get_situation_display()
    [suivi] = inscription["Suivis mensuels"]
    assert suivi["Assiduité"] == suivi_enregistre.get_assiduite_display()
    assert suivi["Assiduité"] != suivi_enregistre.assiduite
    assert suivi["Auteur"] == str(suivi_enregistre.auteur)


def test_the_printable_page_shows_the_same_data_in_french(client_staff, candidat):
    response = telecharger(client_staff, candidat, format="page")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    text = html.unescape(response.text)
    assert "Données personnelles de Marthe Chevalier" in text
    assert "<dt>École visée</dt><dd>École de la Logistique — Douai</dd>" in text
    assert "<dt>Canal de sourcing</dt><dd>Autre</dd>" in text
    assert "<dt>Date de naissance</dt><dd>14/03/1998</dd>" in text
    assert "<h2>Inscriptions en formation</h2>" in text
    assert "Télécharger en JSON" in text
    # Whatever a colleague typed in the notes is shown, never run.
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_each_format_is_logged(client_staff, candidat):
    telecharger(client_staff, candidat)
    telecharger(client_staff, candidat, format="page")

    formats = set(TelechargementDonnees.objects.values_list("format", flat=True))
    assert formats == {"json", "page"}


def test_an_unknown_format_is_a_404_and_is_not_logged(client_staff, candidat):
    response = telecharger(client_staff, candidat, format="pdf")

    assert response.status_code == 404
    assert not TelechargementDonnees.objects.exists()


def test_a_partner_cannot_open_the_printable_page(client, partner_user, candidat):
    client.force_login(partner_user)

    response = telecharger(client, candidat, format="page")

    assert response.status_code == 403
    assert not TelechargementDonnees.objects.exists()


def test_the_file_offers_both_versions(client_staff, candidat):
    response = client_staff.get(reverse("candidats:detail", args=[candidat.pk]))

    url = reverse("candidats:donnees", args=[candidat.pk])
    assert f'href="{url}?format=page"' in response.text
    assert f'href="{url}" role="button" class="secondary outline" download' in response.text
