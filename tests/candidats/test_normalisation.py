"""Phones and names are checked and stored in one form, whoever types them: the staff
form, the Django admin or an import."""

import html
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from candidats.models import Candidat
from candidats.text import normaliser_nom, normaliser_telephone
from echanges.imports import analyser
from tests.candidats.test_forms import CREER, donnees
from tests.echanges.fichiers import csv_bytes, ligne
from tests.factories import CandidatFactory

pytestmark = pytest.mark.django_db

TELEPHONE_INVALIDE = "Ce numéro de téléphone n'est pas valide"


def page(response):
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    "tape",
    ["06 12 34 56 78", "06.12.34.56.78", "0612345678", "06-12-34-56-78", "+33 6 12 34 56 78"],
)
def test_the_usual_ways_of_writing_a_french_phone_are_stored_alike(client_staff, tape):
    response = client_staff.post(CREER, donnees(telephone=tape))

    assert response.status_code == 302
    candidat = Candidat.objects.get()
    assert candidat.telephone == "0612345678"
    detail = page(client_staff.get(response.url))
    assert '<a href="tel:0612345678">06 12 34 56 78</a>' in detail


@pytest.mark.parametrize("tape", ["abc", "06 12", "06 12 34 56 78 90 12 34 56", "+33 6"])
def test_a_phone_that_is_not_one_is_refused_in_french(client_staff, tape):
    response = client_staff.post(CREER, donnees(telephone=tape))

    assert response.status_code == 200
    assert TELEPHONE_INVALIDE in page(response)
    assert "par exemple 06 12 34 56 78" in page(response)
    assert not Candidat.objects.exists()


def test_a_foreign_phone_is_kept_with_its_country_code(client_staff):
    client_staff.post(CREER, donnees(telephone="+32 471 23 45 67"))

    assert Candidat.objects.get().telephone == "+32471234567"


def test_the_edit_form_shows_the_phone_grouped_by_pairs(client_staff):
    candidat = CandidatFactory(telephone="0612345678")

    response = client_staff.get(reverse("candidats:modifier", args=[candidat.pk]))

    assert 'value="06 12 34 56 78"' in response.text


@pytest.mark.parametrize(
    ("nom", "prenom", "nom_enregistre", "prenom_enregistre"),
    [
        ("CHEVALIER", "marthe", "Chevalier", "Marthe"),
        ("dupont", "jean-marie", "Dupont", "Jean-Marie"),
        ("DE OLIVEIRA", "ana", "De Oliveira", "Ana"),
        ("d'oliveira", "ANA", "D'Oliveira", "Ana"),
        ("d’oliveira", " anne   sophie ", "D'Oliveira", "Anne Sophie"),
        ("McBride", "Éloïse", "McBride", "Éloïse"),
    ],
)
def test_names_are_stored_as_on_an_identity_card(
    client_staff, nom, prenom, nom_enregistre, prenom_enregistre
):
    response = client_staff.post(
        CREER, donnees(nom=nom, prenom=prenom, email="", identifiant_france_travail="")
    )

    assert response.status_code == 302
    candidat = Candidat.objects.get()
    assert (candidat.nom, candidat.prenom) == (nom_enregistre, prenom_enregistre)
    assert f"Fiche créée : {prenom_enregistre} {nom_enregistre}." in page(
        client_staff.get(response.url)
    )


def admin_data(**changes):
    data = {
        "nom": "CHEVALIER",
        "prenom": "marthe",
        "telephone": "06.12.34.56.78",
        "canal": "france_travail",
        "statut": "a_contacter",
        "inscriptions-TOTAL_FORMS": "0",
        "inscriptions-INITIAL_FORMS": "0",
    }
    return data | changes


def test_the_admin_stores_names_and_phones_as_the_portal_does(client, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("admin:candidats_candidat_add"), admin_data())

    assert response.status_code == 302, response.context["adminform"].errors
    candidat = Candidat.objects.get()
    assert (candidat.nom, candidat.prenom, candidat.telephone) == (
        "Chevalier",
        "Marthe",
        "0612345678",
    )


def test_the_admin_refuses_a_phone_that_is_not_one(client, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("admin:candidats_candidat_add"), admin_data(telephone="abc"))

    assert response.status_code == 200
    assert TELEPHONE_INVALIDE in page(response)
    assert not Candidat.objects.exists()


def test_the_import_stores_names_and_phones_as_the_form_does():
    contenu = csv_bytes([ligne(1, Nom="CHEVALIER", Prénom="marthe", Téléphone="+33 6 12 34 56 78")])

    analyse = analyser(contenu, candidats=Candidat.objects.all())

    candidat = analyse.candidats[0]
    assert (candidat.nom, candidat.prenom, candidat.telephone) == (
        "Chevalier",
        "Marthe",
        "0612345678",
    )


def test_the_import_refuses_a_phone_that_is_not_one():
    analyse = analyser(csv_bytes([ligne(1, Téléphone="abc")]), candidats=Candidat.objects.all())

    [erreur] = analyse.erreurs
    assert (erreur.numero, erreur.colonne) == (2, "téléphone")
    assert TELEPHONE_INVALIDE in erreur.message


def test_the_one_name_rule_and_the_one_phone_rule():
    assert normaliser_nom("jean - MARIE") == "Jean-Marie"
    assert normaliser_telephone("0033 (0)6 12 34 56 78") == "0612345678"
    assert normaliser_telephone("612345678") is None


def test_the_migration_writes_the_files_typed_before_the_rule_in_its_form():
    migration = importlib.import_module("candidats.migrations.0009_nom_et_telephone_normalises")
    avant = CandidatFactory(nom="DE OLIVEIRA", prenom="ana", telephone="+33 6 12 34 56 78")
    illisible = CandidatFactory(nom="Martin", prenom="Léa", telephone="poste 12")

    migration.normaliser_les_fiches(django_apps, None)

    avant.refresh_from_db()
    illisible.refresh_from_db()
    assert (avant.nom, avant.prenom, avant.telephone) == ("De Oliveira", "Ana", "0612345678")
    assert illisible.telephone == "poste 12"
    assert list(Candidat.objects.recherche("d'oliveira")) == [avant]
