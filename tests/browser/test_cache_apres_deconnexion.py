"""A candidate's page is never kept by the browser: after logging out, going back shows
the login page, not the candidate."""

import re

import pytest
from django.urls import reverse

from tests.factories import CandidatFactory, UserFactory

PASSWORD = "Cache-equipe-2026"


@pytest.fixture
def camille(transactional_db):
    return UserFactory(username="camille.dupont", first_name="Camille", password=PASSWORD)


def test_back_after_logout_shows_the_login_page_not_the_candidate(page, camille):
    candidat = CandidatFactory(nom="Vasseur", prenom="Lina", telephone="06 11 22 33 44")
    page.goto(reverse("login"))
    page.get_by_label(re.compile(r"^Nom d’utilisateur")).fill("camille.dupont")
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")

    reponse = page.goto(reverse("candidats:detail", args=[candidat.pk]))
    assert "06 11 22 33 44" in page.content()
    # What the browser was told: keep no copy, on disk or anywhere on the way.
    assert {"no-store", "private"} <= {
        directive.strip() for directive in reponse.headers["cache-control"].split(",")
    }

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    page.go_back()
    page.wait_for_load_state()

    assert "06 11 22 33 44" not in page.content()
    assert "/login/" in page.url
