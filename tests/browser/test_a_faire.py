"""The "À faire" page in Chromium: each section with its count, and the digest switched off."""

import re

import pytest
from django.urls import reverse

from tests.factories import InscriptionFactory, SortieFactory, UserFactory

PASSWORD = "A-faire-equipe-2026"


@pytest.fixture
def camille(transactional_db):
    return UserFactory(username="camille.dupont", first_name="Camille", password=PASSWORD)


@pytest.fixture
def travail(transactional_db):
    """A trainee whose internship has no host, and a former trainee to call."""
    InscriptionFactory(candidat__nom="Sansstage")
    SortieFactory(inscription=InscriptionFactory(candidat__nom="Aappeler", candidat__email=""))


def test_staff_see_what_is_left_to_do_and_stop_the_digest(page, screenshot, camille, travail):
    page.goto(reverse("login"))
    page.get_by_label(re.compile(r"^Nom d’utilisateur")).fill("camille.dupont")
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="À faire"
    ).click()
    page.wait_for_url(f"**{reverse('a_faire:a_faire')}")
    assert "Sansstage" in page.locator("#stages-sans-entreprise").inner_text()
    assert "Aappeler" in page.locator("#enquetes-a-appeler").inner_text()
    screenshot("a-faire-01-page")

    page.get_by_role("button", name=re.compile("Ne plus recevoir")).click()
    assert "synthèse" in page.locator(".messages").inner_text()
    camille.refresh_from_db()
    assert camille.recoit_synthese is False
    screenshot("a-faire-02-synthese-arretee")
