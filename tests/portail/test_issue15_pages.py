"""Pages that say where the user is and what to do next, in French agreed with the count."""

import html
import re

import pytest
from django.urls import reverse

from tests.factories import CandidatFactory, DocumentFactory, EntrepriseFactory

pytestmark = pytest.mark.django_db


def texte(response):
    sans_balises = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", sans_balises))


def fil_d_ariane(response):
    trouve = re.search(r'<nav aria-label="Fil d\'Ariane"[^>]*>(.*?)</nav>', response.text, re.S)
    assert trouve, "pas de fil d'Ariane"
    return trouve.group(1)


def test_the_candidate_page_has_breadcrumbs_back_to_the_list(client_staff):
    candidat = CandidatFactory(prenom="Anaïs", nom="Leroy")

    fil = fil_d_ariane(client_staff.get(reverse("candidats:detail", args=[candidat.pk])))

    assert f'<li><a href="{reverse("candidats:liste")}">Candidats</a></li>' in fil
    assert "<li>Anaïs Leroy</li>" in fil


def test_the_personal_data_page_elides_before_a_vowel_and_has_breadcrumbs(client_staff):
    candidat = CandidatFactory(prenom="Anaïs", nom="Leroy")

    response = client_staff.get(
        reverse("candidats:donnees", args=[candidat.pk]), {"format": "page"}
    )

    page = texte(response)
    assert "Données personnelles d'Anaïs Leroy" in page
    assert "Données d'Anaïs Leroy" in page
    assert "de Anaïs" not in page
    assert f'<a href="{reverse("candidats:detail", args=[candidat.pk])}">' in fil_d_ariane(response)


def test_the_exits_to_record_page_has_breadcrumbs(client_staff):
    fil = fil_d_ariane(client_staff.get(reverse("a_faire:sorties")))

    assert f'<a href="{reverse("a_faire:a_faire")}">À faire</a>' in fil
    assert "<li>Sorties à enregistrer</li>" in fil


@pytest.mark.parametrize(
    ("organisations", "resume"),
    [(0, "0 organisation"), (1, "1 organisation"), (2, "2 organisations")],
)
def test_the_organisation_count_is_singular_for_zero_and_one(client_staff, organisations, resume):
    for numero in range(organisations):
        EntrepriseFactory(nom=f"Atelier {numero}")

    page = texte(client_staff.get(reverse("entreprises:liste"), {"q": "Atelier"}))

    assert re.search(rf"\b{resume}\b", page)
    if organisations < 2:
        assert f"{organisations} organisations" not in page


def test_a_search_without_result_offers_to_show_every_organisation(client_staff):
    EntrepriseFactory(nom="Ampere")

    response = client_staff.get(reverse("entreprises:liste"), {"q": "introuvable"})

    assert f'<a href="{reverse("entreprises:liste")}">affichez toutes les organisations</a>' in (
        response.text
    )


def test_an_organisation_without_account_offers_to_create_one(client_staff):
    entreprise = EntrepriseFactory()

    response = client_staff.get(reverse("entreprises:detail", args=[entreprise.pk]))

    lien = reverse("entreprises:creer_compte", args=[entreprise.pk])
    assert f'<a href="{lien}">créez-en un</a>' in response.text


def test_documents_filtered_to_nothing_offer_every_document(client_staff):
    document = DocumentFactory()
    page = reverse("documents:cohorte", args=[document.cohorte_id])

    response = client_staff.get(page, {"q": "introuvable"})

    assert f'<a href="{page}">affichez tous les documents de la cohorte</a>' in response.text


def test_the_candidate_form_says_courriel(client_staff):
    response = client_staff.get(reverse("candidats:creer"))

    assert '<label for="id_email">Courriel' in response.text
    assert "e-mail" not in response.text.lower()
