"""The Django admin speaks French: app and model names, list filters, page titles."""

import html
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import ContactFactory, EcoleFactory

ANGLAIS_OU_BRUT = [
    "OTP_STATIC",
    "OTP_TOTP",
    "Otp_Static",
    "Otp_Totp",
    "Static device",
    "TOTP device",
    "AXES",
    "Axes",
    "Tasks Database Backend",
    "Task Result",
    "Locked Out",
    "Ajout de école",
]


def texte(response):
    sans_balises = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", sans_balises))


def test_admin_index_shows_no_english_or_raw_label(admin_client):
    page = texte(admin_client.get(reverse("admin:index")))

    for libelle in ANGLAIS_OU_BRUT:
        assert libelle not in page
    assert "Sécurité des connexions" in page
    assert "Double authentification : codes de secours" in page
    assert "Jeux de codes de secours" in page
    assert "Applications d'authentification" in page
    assert "Tâches en arrière-plan" in page


def test_every_app_name_in_the_admin_index_begins_with_a_capital(admin_client):
    response = admin_client.get(reverse("admin:index"))

    noms = [app["name"] for app in response.context["app_list"]]
    assert noms
    assert [nom for nom in noms if not nom[:1].isupper()] == []


def test_axes_lockout_filter_is_titled_in_french(admin_client):
    page = texte(admin_client.get(reverse("admin:axes_accessattempt_changelist")))

    assert "Par verrouillage" in page
    assert "Locked Out" not in page


def test_add_page_title_takes_the_feminine_article_with_elision(admin_client):
    page = texte(admin_client.get(reverse("admin:ecoles_ecole_add")))

    assert "Ajout d'une école" in page
    assert "Ajout de école" not in page


def test_add_page_title_takes_the_masculine_article(admin_client):
    page = texte(admin_client.get(reverse("admin:candidats_candidat_add")))

    assert "Ajout d'un candidat" in page


def test_change_page_title_takes_the_definite_article(admin_client):
    ecole = EcoleFactory()

    page = texte(admin_client.get(reverse("admin:ecoles_ecole_change", args=[ecole.pk])))

    assert "Modification de l'école" in page


def test_change_page_title_of_a_masculine_name_contracts_de_le(admin_client):
    contact = ContactFactory()

    page = texte(admin_client.get(reverse("admin:entreprises_contact_change", args=[contact.pk])))

    assert "Modification du contact" in page


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_registered_admin_writes_french_titles(model):
    from config.admin_site import TitresEnFrancais

    assert isinstance(admin.site._registry[model], TitresEnFrancais)
